using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lunar.Dtn.Agent.Protocol;

/// <summary>The wire format: camelCase, and absent fields left out, so a progress report carries no inventory and registration no seq.</summary>
public static class ProtocolJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
