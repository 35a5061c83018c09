namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Platforms on which many companies keep a page or a site: social networks, video and code hosts, maps, reviews and
/// directories, marketplaces, link shorteners and site builders. An address of a page or site there
/// (<c>https://www.facebook.com/baeckerei.schmidt</c>, <c>linkedin.com/company/acme</c>, <c>acme.wordpress.com</c>) names
/// the platform's domain, not the company's, so, like a free-mail domain, it gives the customer no company domain. The
/// platform's own address (<c>facebook.com</c>, <c>https://www.google.com/</c>, an e-mail address at it) stays the
/// domain of the platform's company.
/// </summary>
public static class SharedPlatforms
{
    /// <summary>Registrable domains, or hosts under one, where a path or a query names a member's page.</summary>
    private static readonly HashSet<string> PageHosts = new(StringComparer.Ordinal)
    {
        // Social networks and messaging
        "facebook.com", "fb.com", "fb.me", "m.me", "instagram.com", "threads.net", "linkedin.com", "lnkd.in", "x.com", "twitter.com",
        "t.co", "tiktok.com", "youtube.com", "youtu.be", "pinterest.com", "reddit.com", "snapchat.com", "vk.com", "ok.ru",
        "weibo.com", "xing.com", "t.me", "telegram.me", "wa.me", "whatsapp.com", "discord.gg", "discord.com", "twitch.tv",
        "vimeo.com", "flickr.com", "bsky.app", "line.me",
        // Maps, app stores and short links of the large platforms
        "goo.gl", "g.page", "g.co", "apps.apple.com", "maps.apple.com", "bing.com",
        // Code hosts, publishing and link pages
        "github.com", "gitlab.com", "bitbucket.org", "sourceforge.net", "medium.com", "notion.so", "linktr.ee", "about.me",
        // Directories, reviews and marketplaces
        "wikipedia.org", "crunchbase.com", "bloomberg.com", "zoominfo.com", "dnb.com", "trustpilot.com", "etsy.com", "alibaba.com",
        // Link shorteners
        "bit.ly", "tinyurl.com", "ow.ly",
    };

    /// <summary>
    /// Platforms that run the same service under many country domains (google.de/maps/…, amazon.co.uk/stores/…,
    /// yelp.fr/biz/…): a page there is a member's whatever the suffix.
    /// </summary>
    private static readonly HashSet<string> AnyCountry = new(StringComparer.Ordinal)
    {
        "google", "amazon", "ebay", "yelp", "tripadvisor", "glassdoor", "indeed",
    };

    /// <summary>
    /// Site builders and blog hosts where a subdomain names a member's site (acme.wordpress.com) and the Public Suffix
    /// List does not already make it the member's own registrable domain, as it does for github.io, blogspot.com,
    /// wixsite.com or myshopify.com. A path on the bare domain is a member's page too (tumblr.com/acme).
    /// </summary>
    private static readonly HashSet<string> SiteHosts = new(StringComparer.Ordinal)
    {
        "wordpress.com", "substack.com", "tumblr.com", "notion.site", "webflow.io", "weebly.com", "squarespace.com",
        "business.site", "square.site", "jimdosite.com", "mystrikingly.com", "godaddysites.com", "site123.me", "hashnode.dev",
    };

    /// <summary>
    /// Cloud services that give every customer a tenant under their own domain (<c>acme.onmicrosoft.com</c>, a mailbox
    /// there too, <c>acme.sharepoint.com</c>, <c>acme.my.salesforce.com</c>), which the Public Suffix List does not make
    /// the tenant's own registrable domain: any host under one, or an e-mail address there, is the tenant's, never the
    /// service's company; the bare domain stays the company's.
    /// </summary>
    private static readonly HashSet<string> TenantHosts = new(StringComparer.Ordinal)
    {
        "onmicrosoft.com", "sharepoint.com", "my.salesforce.com", "force.com", "atlassian.net", "zendesk.com", "freshdesk.com",
        "okta.com", "slack.com", "service-now.com", "dynamics.com",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Pages = PageHosts.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Tenants = TenantHosts.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Countries = AnyCountry.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Whether a web address is a member's page or site on a shared platform. <paramref name="host"/> is its host
    /// without <c>www.</c>, <paramref name="registrable"/> its registrable domain, <paramref name="namesAPage"/> whether
    /// a path or a query follows the host. An e-mail address is never a page: its mailbox is the platform company's.
    /// </summary>
    public static bool IsPage(string host, string registrable, bool namesAPage)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(registrable);
        if (IsTenant(host))
        {
            return true;
        }
        if (SiteHosts.Contains(registrable))
        {
            return namesAPage || host.Length > registrable.Length;
        }

        if (!namesAPage)
        {
            return false;
        }

        var dot = registrable.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && Countries.Contains(registrable.AsSpan(0, dot)))
        {
            return true;
        }

        // The host or any domain above it, down to the registrable one: sites.google.com is google.com's, apps.apple.com its own.
        var at = 0;
        while (true)
        {
            if (Pages.Contains(host.AsSpan(at)))
            {
                return true;
            }

            var next = host.IndexOf('.', at);
            if (host.Length - at <= registrable.Length || next < 0)
            {
                return false;
            }

            at = next + 1;
        }
    }

    /// <summary>Whether a host (a web address's or a mailbox's) lies under a cloud service's tenant domain, not on it.</summary>
    public static bool IsTenant(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        for (var dot = host.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = host.IndexOf('.', dot + 1))
        {
            if (Tenants.Contains(host.AsSpan(dot + 1)))
            {
                return true;
            }
        }

        return false;
    }
}
