using System.Reflection;
using CoSell.Web.Realtime;
using CoSell.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Web.Tests.Realtime;

/// <summary>
/// SignalR fills a hub method's parameter from the container when the service's type is registered there, with no
/// attribute to say so, and then rebuilds the call's arguments, which drops the mark of an unreadable call: so no hub
/// method takes a parameter whose type the service registers.
/// </summary>
public sealed class HubMethodParameterTests : IClassFixture<CoSellApp>
{
    private readonly CoSellApp _app;

    public HubMethodParameterTests(CoSellApp app) => _app = app;

    [Fact]
    public void NoHubMethod_TakesAParameterTheContainerWouldFill()
    {
        var isService = _app.Services.GetRequiredService<IServiceProviderIsService>();
        var parameters = typeof(CoSellHub).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(CoSellHub))
            .SelectMany(m => m.GetParameters().Select(p => (Method: m.Name, p.ParameterType)))
            .ToList();

        parameters.Should().NotBeEmpty();
        parameters.Should().OnlyContain(p => !isService.IsService(p.ParameterType), "a parameter the container fills would drop the unreadable mark");
        isService.IsService(typeof(HubConnections)).Should().BeTrue("the check sees the hub's own services");
    }
}
