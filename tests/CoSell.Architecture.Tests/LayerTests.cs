using System.Reflection;
using CoSell.Application;
using CoSell.Domain.SeedWork;
using NetArchTest.Rules;

namespace CoSell.Architecture.Tests;

public sealed class LayerTests
{
    private static readonly Assembly Domain = typeof(AggregateRoot).Assembly;
    private static readonly Assembly Application = ApplicationParts.Assembly;
    private static readonly Assembly Infrastructure = typeof(CoSell.Infrastructure.DependencyInjection).Assembly;

    [Fact]
    public void Domain_ReferencesOnlyTheBaseClassLibrary()
    {
        // The BCL is what ships in the runtime's own folder (Microsoft.NETCore.App): a NuGet package named System.* is not.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var referenced = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        referenced.Should().NotBeEmpty().And.OnlyContain(name => File.Exists(Path.Combine(runtime, name + ".dll")),
            "the domain model depends on nothing but the BCL");
        runtime.Should().Contain("Microsoft.NETCore.App");
    }

    [Fact]
    public void Domain_DependsOnNoOtherLayer()
    {
        var result = Types.InAssembly(Domain).ShouldNot().HaveDependencyOnAny("CoSell.Application", "CoSell.Infrastructure", "CoSell.Web").GetResult();
        result.IsSuccessful.Should().BeTrue(Offenders(result));
    }

    [Fact]
    public void Application_KnowsNeitherEfCoreNorAspNetCore()
    {
        var result = Types.InAssembly(Application)
            .ShouldNot().HaveDependencyOnAny("Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Microsoft.Data.Sqlite", "CoSell.Infrastructure", "CoSell.Web")
            .GetResult();
        result.IsSuccessful.Should().BeTrue(Offenders(result));
        Application.GetReferencedAssemblies().Select(a => a.Name).Should().NotContain(n => n!.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) || n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Infrastructure_DoesNotDependOnTheWebLayer()
    {
        var result = Types.InAssembly(Infrastructure).ShouldNot().HaveDependencyOn("CoSell.Web").GetResult();
        result.IsSuccessful.Should().BeTrue(Offenders(result));
    }

    [Fact]
    public void Aggregates_HaveNoPublicSetters()
    {
        var setters = Domain.GetTypes()
            .Where(t => typeof(AggregateRoot).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.SetMethod is { IsPublic: true })
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}");
        setters.Should().BeEmpty("aggregates change only through their methods");
    }

    [Fact]
    public void EveryCommandAndQuery_HasAHandler()
    {
        var requests = Application.GetTypes().Where(t => !t.IsAbstract && !t.IsInterface && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(MediatR.IRequest<>)));
        var handled = Application.GetTypes()
            .Where(t => !t.IsAbstract)
            .SelectMany(t => AllInterfaces(t))
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(MediatR.IRequestHandler<,>))
            .Select(i => i.GetGenericArguments()[0])
            .ToHashSet();
        requests.Where(r => !handled.Contains(r)).Select(r => r.Name).Should().BeEmpty();
    }

    private static IEnumerable<Type> AllInterfaces(Type type) => type.GetInterfaces();

    private static string Offenders(TestResult result) =>
        "offending types: " + string.Join(", ", result.FailingTypeNames ?? []);
}
