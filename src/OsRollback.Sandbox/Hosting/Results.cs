using System.Text;
using System.Text.Json;

namespace OsRollback.Sandbox.Hosting;

/// <summary>What an endpoint answers; written to the response after the handler returns.</summary>
public interface IResult
{
    Task ExecuteAsync(HttpContext context);
}

/// <summary>The answers the endpoint files use (the same names and arguments as ASP.NET Core's Results).</summary>
public static class Results
{
    public static IResult Json(object? value, JsonSerializerOptions? options = null, string? contentType = null, int? statusCode = null) =>
        new BodyResult(statusCode ?? 200, contentType ?? "application/json; charset=utf-8",
            JsonSerializer.SerializeToUtf8Bytes(value, value?.GetType() ?? typeof(object), options));

    public static IResult Text(string content, string? contentType = null, Encoding? contentEncoding = null, int? statusCode = null) =>
        new BodyResult(statusCode ?? 200, WithCharset(contentType ?? "text/plain", contentEncoding ?? Encoding.UTF8), (contentEncoding ?? Encoding.UTF8).GetBytes(content));

    public static IResult Content(string content, string? contentType = null, Encoding? contentEncoding = null, int? statusCode = null) =>
        Text(content, contentType, contentEncoding, statusCode);

    public static IResult File(byte[] contents, string? contentType = null, string? fileDownloadName = null) =>
        new BodyResult(200, contentType ?? "application/octet-stream", contents, fileDownloadName);

    public static IResult StatusCode(int statusCode) => new BodyResult(statusCode, null, []);
    public static IResult Ok() => StatusCode(200);
    public static IResult Accepted() => StatusCode(202);
    public static IResult NoContent() => StatusCode(204);
    public static IResult NotFound() => StatusCode(404);
    public static IResult Bytes(byte[] contents, string? contentType = null) => new BodyResult(200, contentType ?? "application/octet-stream", contents);

    // Like ASP.NET Core: a text content type without a charset gets the encoding's.
    private static string WithCharset(string contentType, Encoding encoding) =>
        contentType.Contains("charset", StringComparison.OrdinalIgnoreCase) ? contentType : $"{contentType}; charset={encoding.WebName}";

    private sealed class BodyResult(int status, string? contentType, byte[] body, string? downloadName = null) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            if (contentType is not null) context.Response.ContentType = contentType;
            if (downloadName is not null)
                context.Response.Headers["Content-Disposition"] = $"attachment; filename=\"{downloadName.Replace("\"", "")}\"; filename*=UTF-8''{Uri.EscapeDataString(downloadName)}";
            return context.Response.WriteBytesAsync(body, context.RequestAborted);
        }
    }
}
