namespace Lunar.Dtn.Bundles;

public enum PayloadCompression : byte
{
    None = 0,
    Brotli = 1,
}
