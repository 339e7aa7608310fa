// The endpoint files are written against the minimal-API names (WebApplication, HttpContext,
// IResult, Results); these resolve to the small HttpListener host in this folder, so the
// sandbox needs only the .NET runtime that pwsh ships (no ASP.NET Core).
global using OsRollback.Sandbox.Hosting;
