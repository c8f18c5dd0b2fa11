using Lunar.Dtn.Hosting.Access;
using Microsoft.AspNetCore.Builder;
using Scalar.AspNetCore;

namespace Lunar.Dtn.Hosting.ApiReference;

/// <summary>
/// The browsable API reference (Scalar) at /scalar/v1, over /openapi/v1.json. It must work on a node with no
/// internet at all (a lunar base): the page's script is the copy embedded in the Scalar package and served by the
/// node itself, its fonts are the system's, and it sends no telemetry.
/// </summary>
public static class ApiReferenceEndpoints
{
    public static WebApplication MapApiReference(this WebApplication app)
    {
        app.MapScalarApiReference("/scalar", options => options
            .WithTitle("Lunar.Dtn node API")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .ForceDarkMode()
            .HideClientButton()
            .DisableAgent()
            .DisableMcp()
            .WithDefaultHttpClient(ScalarTarget.Shell, ScalarClient.Curl)).Needs(Security.Roles.Viewer);
        return app;
    }
}
