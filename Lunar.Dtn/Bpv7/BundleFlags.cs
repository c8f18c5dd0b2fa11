namespace Lunar.Dtn.Bpv7;

/// <summary>Bundle processing control flags of the primary block (RFC 9171 §4.2.3).</summary>
[Flags]
public enum BundleFlags : ulong
{
    None = 0,
    IsFragment = 0x000001,
    IsAdministrativeRecord = 0x000002,
    MustNotFragment = 0x000004,
    AcknowledgementRequested = 0x000020,
    StatusTimeRequested = 0x000040,
    ReportReception = 0x004000,
    ReportForwarding = 0x010000,
    ReportDelivery = 0x020000,
    ReportDeletion = 0x040000,
}
