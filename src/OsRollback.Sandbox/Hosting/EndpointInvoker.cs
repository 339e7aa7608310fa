using System.Reflection;
using System.Runtime.ExceptionServices;

namespace OsRollback.Sandbox.Hosting;

/// <summary>
/// Calls an endpoint delegate the way minimal APIs bind it: HttpContext, HttpRequest,
/// HttpResponse, CancellationToken and IHostApplicationLifetime by type, strings from the
/// route values (then the query) by name; the answer may be an IResult, a Task of one, or a string.
/// </summary>
internal static class EndpointInvoker
{
    public static async Task InvokeAsync(Delegate handler, HttpContext context, IReadOnlyDictionary<string, string> routeValues, IHostApplicationLifetime lifetime)
    {
        var parameters = handler.Method.GetParameters();
        var arguments = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++) arguments[i] = Bind(parameters[i], context, routeValues, lifetime);
        object? answer;
        try
        {
            answer = handler.DynamicInvoke(arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
        if (answer is Task task)
        {
            await task.ConfigureAwait(false);
            var type = task.GetType();
            answer = type.IsGenericType ? type.GetProperty("Result")!.GetValue(task) : null;
        }
        switch (answer)
        {
            case IResult result: await result.ExecuteAsync(context).ConfigureAwait(false); break;
            case string text: await Results.Text(text).ExecuteAsync(context).ConfigureAwait(false); break;
            case null: break;
            default: await Results.Json(answer).ExecuteAsync(context).ConfigureAwait(false); break;
        }
    }

    private static object? Bind(ParameterInfo parameter, HttpContext context, IReadOnlyDictionary<string, string> routeValues, IHostApplicationLifetime lifetime)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpContext)) return context;
        if (type == typeof(HttpRequest)) return context.Request;
        if (type == typeof(HttpResponse)) return context.Response;
        if (type == typeof(CancellationToken)) return context.RequestAborted;
        if (type == typeof(IHostApplicationLifetime)) return lifetime;
        if (type == typeof(string))
            return routeValues.TryGetValue(parameter.Name!, out var value) ? value : context.Request.Query[parameter.Name!].Value;
        throw new NotSupportedException($"The sandbox host cannot bind the endpoint parameter {parameter.Name} of type {type.Name}.");
    }
}
