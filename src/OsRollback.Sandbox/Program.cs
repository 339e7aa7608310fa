// The sandbox host; its LifeTime and Service Center endpoints are added with the platform work.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.Run();
public partial class Program { }
