using System.Globalization;
using CoSell.Application.Abstractions;
using CoSell.Infrastructure;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using CoSell.Web.Endpoints;
using CoSell.Web.Health;
using CoSell.Web.Http;
using CoSell.Web.Identity;
using CoSell.Web.Realtime;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Events;
using Serilog.Settings.Configuration;

// A refused start (a setting missing or unsafe) is a message for the operator, not a crash: print it, exit 1.
AppDomain.CurrentDomain.UnhandledException += (_, failure) =>
{
    if (failure.ExceptionObject is StartupRefusedException refused)
    {
        Console.Error.WriteLine(refused.Message);
        Environment.Exit(1);
    }
};

// The service speaks one language in one form whatever the host's locale: its messages, its timeline lines and the
// numbers in them read the same on every machine, and what it stores does not change with the host that wrote it.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

// The slim builder leaves out what this service never uses: IIS, HTTP/3 (QUIC), hosting-startup scanning and the
// Debug/EventSource log providers; HTTPS endpoints stay configurable through Kestrel's configuration (ADR 0011).
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseKestrelHttpsConfiguration();

// The console in Serilog's plain text, unless the configuration names sinks of its own (the console in JSON, say).
var sinksConfigured = builder.Configuration.GetSection("Serilog:WriteTo").GetChildren().Any();
builder.Services.AddSerilog((services, logger) =>
{
    logger
        // Quiet framework defaults that appsettings.json may change: a service started outside its folder, which then
        // reads no appsettings.json, must not log every SQL statement.
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
        // SignalR logs a refused hub call at Error like any failure; HubFailureLogging records it at Information instead.
        .Filter.ByExcluding(HubFailureLogging.IsRefusalLoggedByDispatcher)
        // Every start is unready while the claims index loads: the health checks' Error entry for each probe meanwhile is none.
        .Filter.ByExcluding(ClaimsIndexHealthCheck.IsLoadingReport)
        // An address in use, or one Kestrel cannot read or bind, is a refused start, which the entry point says in one
        // line, as every refusal: not the host's "Hosting failed to start" with the stack of the bind.
        .Filter.ByExcluding(e => ListenFailure.Is(e.Exception))
        // Naming the sink assemblies spares Serilog from opening every DLL in the folder to look for them.
        .ReadFrom.Configuration(builder.Configuration, new ConfigurationReaderOptions(LogSettings.Assemblies))
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        // A token in a query string is not logged, and a request's text cannot forge a line, at whatever level (LoggedText).
        .Enrich.With<LoggedText>();
    if (!sinksConfigured)
    {
        logger.WriteTo.Console();
    }
},
// The host logs through its own logger, and disposes it (flushing its sinks) when it stops. Without this the factory
// logs through the static Log.Logger, which the last host built in the process replaces and a stopping one silences.
preserveStaticLogger: true);

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = RequestLimits.MaximumBodyBytes;
    // The answers name no server software.
    kestrel.AddServerHeader = false;
});
builder.Services.Configure<JsonOptions>(options => JsonSetup.Configure(options.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<ICurrentUser, HttpCurrentUser>();
builder.Services.AddScoped<AnswerRecorder>();
builder.Services.AddScoped<IAnswerRecorder>(services => services.GetRequiredService<AnswerRecorder>());
// A start with a setting it cannot run with (outside Development, without one it needs) is refused, naming every one at once.
var databaseOptions = RequiredSettings.Check(builder.Configuration, builder.Environment);
builder.Services.AddCoSellAuthentication(builder.Configuration, builder.Environment);
AccountMappingSecret.Apply(builder.Configuration, builder.Environment);
builder.Services.AddCoSellApplication();
builder.Services.AddCoSellInfrastructure(builder.Configuration, databaseOptions);
builder.Services.AddCoSellProblems();
builder.Services.AddSignalR(hub => hub.AddFilter<HubFailureLogging>()).AddJsonProtocol(options => JsonSetup.Configure(options.PayloadSerializerOptions))
    .RefuseUnreadableArguments<CoSellHub>();
builder.Services.AddSingleton<HubConnections>();
builder.Services.AddSingleton<HubConnectionOwners>();
builder.Services.AddSingleton<IRealtimeNotifier, SignalRRealtimeNotifier>();
// HEAD is every GET without its body (AnswerHeadLikeGet): the document describes the GET once.
builder.Services.AddOpenApi(options =>
{
    var documentOnly = options.ShouldInclude;
    options.ShouldInclude = description => documentOnly(description) && description.HttpMethod != HttpMethods.Head;
    options
        .AddDocumentTransformer<OpenApiConventions>()
        .AddOperationTransformer<OpenApiConventions>()
        .AddSchemaTransformer<EnumSchemaTransformer>()
        .AddSchemaTransformer<ConvertedTypeSchemaTransformer>()
        .AddSchemaTransformer<MoneySchemaTransformer>()
        .AddSchemaTransformer<CustomerSchemaTransformer>()
        // Last: it takes null out of what the others made of a field the validator demands.
        .AddSchemaTransformer<ValidatorSchemaTransformer>();
});
builder.Services.AddDuplicateCheckRateLimit(builder.Configuration);
builder.Services.AddHealthChecks()
    .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
    .AddCheck<ClaimsIndexHealthCheck>("claims-index", tags: ["ready"]);

// Routing answers a body of a media type no endpoint accepts with 415 before authorisation looks at the caller.
// Without that policy the endpoint's own binding answers it, after authorisation, so a role that may not act gets its
// 403 first (ADR 0007); the endpoints' accepted types stay in their metadata and the OpenAPI document.
foreach (var policy in builder.Services.Where(d => d.ServiceType == typeof(Microsoft.AspNetCore.Routing.MatcherPolicy) && d.ImplementationType?.Name == "AcceptsMatcherPolicy").ToList())
{
    builder.Services.Remove(policy);
}

// One service per database file: a second one started on it is refused before it reads anything (ADR 0005). The
// container holds the lock until the host is disposed.
var databaseLock = DatabaseFileLock.Take(databaseOptions, out var databaseInUse);
if (databaseInUse is not null)
{
    throw new StartupRefusedException(databaseInUse);
}

builder.Services.AddSingleton(_ => databaseLock);
WebApplication app;
Task claimsLoaded;
try
{
    app = builder.Build();
    _ = app.Services.GetRequiredService<DatabaseFileLock>();
    using var scope = app.Services.CreateScope();
    // The claims index loads on its own thread while the service starts; ready waits for it (ClaimsIndexHealthCheck).
    claimsLoaded = await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().StartAsync(seedDemo: app.Environment.IsDevelopment(), CancellationToken.None);
}
catch (Exception failure)
{
    // A start that fails here (a file that is no database, say) leaves no running host to dispose: the lock goes now.
    databaseLock.Dispose();
    if (failure is CoSell.Infrastructure.Seeding.ForeignDatabaseException foreign)
    {
        throw new StartupRefusedException($"CoSell cannot use its database (the {DatabaseOptions.Section} settings): {foreign.Message}");
    }

    if (SqliteFailure.Of(failure) is { } database)
    {
        throw new StartupRefusedException($"CoSell cannot use its database (the {DatabaseOptions.Section} settings): {SqliteFailure.Describe(database)}");
    }

    throw;
}

// A service that cannot know its claims cannot judge a registration: it stops rather than stay never ready.
_ = claimsLoaded.ContinueWith(
    _ =>
    {
        Environment.ExitCode = 1;
        app.Lifetime.StopApplication();
    },
    CancellationToken.None,
    TaskContinuationOptions.OnlyOnFaulted,
    TaskScheduler.Default);

app.UseMiddleware<ResponseHeaders>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<UnmatchedIds>();
app.UseWhen(context => context.Request.Path.StartsWithSegments("/hubs"), hubs => hubs.UseMiddleware<HubTransportProblems>());
app.UseMiddleware<WaitForClaimsIndex>();
app.UseAuthentication();
app.UseAuthorization();
// A hub connection's transport requests are served only to the user who negotiated it (ADR 0006).
app.UseWhen(context => context.Request.Path.StartsWithSegments("/hubs"), hubs => hubs.UseMiddleware<HubConnectionOwnership>());
// After the caller is known: a role that may not act gets its 403 (and no token its 401) before the body's size or
// charset is judged (ADR 0007).
app.UseMiddleware<RequestLimits>();
app.UseMiddleware<BufferIdempotentBodies>();
app.UseRateLimiter();
app.UseMiddleware<QueryParameters>();

// A probe reads: another method is a 405, as on every route, not a health answer.
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = ReadinessAnswer.WriteAsync })
    .AllowAnonymous().WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
// One document, at one address: any other name is a 404 like any unknown path, not the framework's plain-text one, which
// says the name back. The framework's handler also takes a name from the query (?documentName=), so that is refused alike.
app.MapOpenApi("/openapi/v1.json").AllowAnonymous().AnswerHeadLikeGet()
    .AddEndpointFilter((context, next) => context.HttpContext.Request.Query.ContainsKey("documentName") ? ValueTask.FromResult<object?>(Results.NotFound()) : next(context));
app.MapScalarApiReference(options => options.WithTitle("CoSell API")).AllowAnonymous().AnswerHeadLikeGet();

var api = app.MapGroup("/api/v1");
api.AddEndpointFilterFactory(OptionalJsonBodies.RefuseJsonNull);
api.AddEndpointFilter<StaleETagFilter>();
api.AnswerNotModifiedOnReads();
// A role that may not act is refused before its body or query is read (RequestRoles).
api.RequireRequestRoles();
api.AnswerHeadLikeGet();
// The demo sign-in signs its tokens with the service's key: with an authority's keys instead, it has none to sign with.
if (app.Environment.IsDevelopment() && app.Services.GetRequiredService<AuthOptions>().SigningKey is not null)
{
    api.MapDevTokenEndpoints();
}

api.MapPartnerEndpoints();
api.MapUserEndpoints();
api.MapRulesEndpoints();
api.MapRegistrationEndpoints();
api.MapConflictEndpoints();
api.MapDuplicateCheckEndpoints();
api.MapOpportunityEndpoints();
api.MapReferralEndpoints();
api.MapAccountMappingEndpoints();
// A connection ends when its token expires: a live feed is no longer-lived than the access it was granted with.
app.MapHub<CoSellHub>("/hubs/cosell", hub => hub.CloseOnAuthenticationExpiration = true);

// Read before the run: a host that fails to start is disposed by then, its services with it.
var started = app.Lifetime.ApplicationStarted;
var stopping = app.Lifetime.ApplicationStopping;
// A stop during the claims index's load stops the load: a request waiting for it is answered 503, and the stop is not
// held until the load ends.
stopping.Register(app.Services.GetRequiredService<CoSell.Infrastructure.Identity.ClaimsIndexStartup>().Stop);
try
{
    await app.RunAsync();
}
catch (OperationCanceledException) when (claimsLoaded.IsFaulted)
{
    // The index failed before the host had started, and stopping it cancelled the start: logged as critical already,
    // and the exit code is 1.
}
catch (OperationCanceledException) when (stopping.IsCancellationRequested && !started.IsCancellationRequested)
{
    // Told to stop (SIGTERM, Ctrl+C) while it was starting, before it listened: a clean stop, not a failure to listen.
}
catch (Exception failure) when (ListenFailure.Is(failure) && !started.IsCancellationRequested)
{
    // Another process listens there already (a second instance, say), or the address or certificate cannot be used:
    // the operator is told what, and no stack follows.
    throw new StartupRefusedException(ListenFailure.Describe(failure));
}

/// <summary>The web host's entry point (public so the tests can host it).</summary>
public partial class Program;
