namespace Lunar.Dtn.Tests.Properties;

/// <summary>A server status write, kept to measure writes that tie on (attempt, seq).</summary>
public sealed record StatusWrite(string ServerId, string Writer, int Attempt, long Seq, string ValueHex);
