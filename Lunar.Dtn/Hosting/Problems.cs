using Microsoft.AspNetCore.Http;

namespace Lunar.Dtn.Hosting;

/// <summary>RFC 9457 problem details with a detail that says what was wrong.</summary>
public static class Problems
{
    public static IResult NotFound(string what) =>
        Results.Problem(title: "Not found", detail: what, statusCode: StatusCodes.Status404NotFound);

    public static IResult Conflict(string what) =>
        Results.Problem(title: "Illegal state transition", detail: what, statusCode: StatusCodes.Status409Conflict);

    public static IResult Invalid(string what) =>
        Results.Problem(title: "Invalid request", detail: what, statusCode: StatusCodes.Status400BadRequest);

    public static IResult Invalid(Dictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors, detail: string.Join("; ", errors.SelectMany(e => e.Value)), title: "Invalid request");
}
