using FibRpc.Service;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);

// App settings (local.settings.json locally, app settings in Azure) arrive as configuration: RabbitMQConnection
// for the reply connection, FibRpc__* for the core's options.
builder.Services.AddFibRpc(builder.Configuration);

builder.Build().Run();
