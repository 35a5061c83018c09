namespace CoSell.Domain.Users;

/// <summary>The roles a CoSell user acts in (the JWT <c>role</c> claim).</summary>
public static class Roles
{
    public const string Partner = "partner";
    public const string Rep = "rep";
    public const string ChannelManager = "channel_manager";
    public const string Arbiter = "arbiter";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Partner, Rep, ChannelManager, Arbiter, Admin];

    public static bool IsVendor(string role) => role is Rep or ChannelManager or Arbiter or Admin;
}
