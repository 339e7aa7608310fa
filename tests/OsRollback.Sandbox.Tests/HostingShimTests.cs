using System.Net;
using System.Text;
using OsRollback.Sandbox.Hosting;

namespace OsRollback.Sandbox.Tests;

/// <summary>The HttpListener host standing in for ASP.NET Core's minimal APIs.</summary>
public class HostingShimTests
{
    [Fact]
    public void A_literal_segment_beats_a_parameter_and_a_trailing_slash_does_not_matter()
    {
        var literal = new RouteTemplate("/_sandbox/state");
        var parameter = new RouteTemplate("/{environment}/{urlPath}/");
        Assert.NotNull(literal.Match("/_sandbox/state/"));
        Assert.Equal("state", parameter.Match("/_sandbox/state")!["urlPath"]);
        Assert.True(literal.CompareSpecificity(parameter) > 0);
        Assert.Null(parameter.Match("/a/b/c"));
        Assert.Equal("a/b c", new RouteTemplate("/x/{**rest}").Match("/x/a/b%20c")!["rest"]);
    }

    [Fact]
    public async Task Routes_bind_route_values_query_and_body_and_answer_with_results()
    {
        var app = new WebApplication();
        app.MapPost("/items/{Key}/", async (HttpContext context, string Key) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            return Results.Json(new { key = Key, q = context.Request.Query["q"].ToString(), body }, statusCode: 201);
        });
        app.MapGet("/items/{Key}/", (string Key) => Results.Text(Key));
        await using var server = LoopbackHttpServer.Start(app, 0);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/") };

        using var created = await client.PostAsync("items/a%20b?q=x%26y", new StringContent("hello"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal("a b", json.RootElement.GetProperty("key").GetString());
        Assert.Equal("x&y", json.RootElement.GetProperty("q").GetString());
        Assert.Equal("hello", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("k", await client.GetStringAsync("items/k"));
        using var wrongMethod = await client.DeleteAsync("items/k/");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        using var missing = await client.GetAsync("nothing/here/at/all");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_exception_in_a_handler_is_a_500_and_the_server_keeps_serving()
    {
        var app = new WebApplication();
        app.MapGet("/boom", () => { throw new InvalidOperationException("x"); });
        app.MapGet("/ok", () => Results.NoContent());
        await using var server = LoopbackHttpServer.Start(app, 0);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/") };
        using var boom = await client.GetAsync("boom");
        Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        using var ok = await client.GetAsync("ok");
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
    }
}
