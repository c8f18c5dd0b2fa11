using Lunar.Dtn.Orchestration;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Lunar.Dtn.Hosting;

/// <summary>
/// Makes the request bodies in /openapi/v1.json say what a client must send: a body is the schema itself
/// (not "null or the schema", an artefact of the nullable parameters the endpoints use to answer a missing body
/// with a problem), and only the fields the endpoint requires are listed as required.
/// </summary>
public static class OpenApiRequestBodies
{
    private static readonly Dictionary<Type, string[]> RequiredFields = new()
    {
        [typeof(CampaignRequest)] = ["name", "artifactId"],
        [typeof(ArtifactRequest)] = ["name", "version", "sha256", "sizeBytes"],
        [typeof(ApprovalRequest)] = ["approverId", "role", "contentHash", "signedAtMs", "signature"],
        [typeof(AgentReport)] = ["phase"],
        [typeof(CancelRequest)] = [],
        [typeof(SelectorRequest)] = [],
        [typeof(AnomalyRequest)] = ["failureRate", "window"],
        [typeof(WindowRequest)] = ["start", "end"],
        [typeof(Security.Constellation)] = ["version", "root", "nodes", "approvers", "revokedKeys", "signature"],
    };

    public static OpenApiOptions DescribeRequestBodies(this OpenApiOptions options)
    {
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (RequiredFields.TryGetValue(context.JsonTypeInfo.Type, out var required))
                schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, _, _) =>
        {
            if (operation.RequestBody?.Content is not { } content) return Task.CompletedTask;
            foreach (var media in content.Values)
            {
                if (media.Schema is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.SingleOrDefault(s => s is OpenApiSchemaReference) is { } body)
                    media.Schema = body;
            }
            return Task.CompletedTask;
        });
        return options;
    }
}
