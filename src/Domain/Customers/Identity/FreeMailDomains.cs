namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Domains of free and consumer mail providers. An address there says nothing about the company a
/// person works for, so such a domain is never used to match customers.
/// </summary>
public static class FreeMailDomains
{
    // Providers that run the same service under many country domains (yahoo.co.uk, hotmail.fr, gmx.at).
    private static readonly HashSet<string> AnyCountry = new(StringComparer.Ordinal)
    {
        "gmail", "googlemail", "hotmail", "outlook", "live", "windowslive", "yahoo", "ymail", "gmx", "aol", "msn",
    };

    private static readonly HashSet<string> Domains = new(StringComparer.Ordinal)
    {
        // International
        "icloud.com", "me.com", "mac.com", "rocketmail.com", "mail.com", "email.com", "usa.com", "inbox.com",
        "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "tutanota.com", "tutanota.de", "tuta.io", "tutamail.com",
        "fastmail.com", "fastmail.fm", "hushmail.com", "zohomail.com", "zohomail.eu", "yandex.com", "mailfence.com", "posteo.de", "posteo.net",
        "runbox.com", "hey.com", "duck.com", "passmail.net", "gmx.net",
        // North America
        "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bellsouth.net", "charter.net", "cox.net", "earthlink.net",
        "juno.com", "netzero.net", "optonline.net", "frontier.com", "windstream.net", "shaw.ca", "rogers.com", "sympatico.ca", "videotron.ca", "telus.net",
        // Europe
        "web.de", "t-online.de", "freenet.de", "arcor.de", "online.de", "mail.de", "gmx.at", "gmx.ch", "aon.at", "a1.net", "bluewin.ch",
        "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "neuf.fr", "bbox.fr",
        "libero.it", "virgilio.it", "tiscali.it", "alice.it", "tin.it", "email.it",
        "btinternet.com", "sky.com", "virginmedia.com", "ntlworld.com", "talktalk.net", "blueyonder.co.uk", "tiscali.co.uk",
        "telefonica.net", "terra.es", "ziggo.nl", "kpnmail.nl", "planet.nl", "home.nl", "telenet.be", "skynet.be", "online.no", "telia.com",
        "seznam.cz", "centrum.cz", "email.cz", "wp.pl", "o2.pl", "onet.pl", "interia.pl", "op.pl", "poczta.fm", "azet.sk", "freemail.hu", "citromail.hu",
        "abv.bg", "mail.bg", "sapo.pt", "ukr.net", "i.ua", "meta.ua",
        // Russia and neighbours
        "yandex.ru", "ya.ru", "yandex.ua", "yandex.by", "yandex.kz", "mail.ru", "bk.ru", "inbox.ru", "list.ru", "internet.ru", "rambler.ru", "lenta.ru",
        // Asia
        "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn", "sohu.com", "aliyun.com", "139.com", "189.cn", "21cn.com", "tom.com",
        "naver.com", "daum.net", "hanmail.net", "nate.com", "kakao.com",
        "docomo.ne.jp", "ezweb.ne.jp", "softbank.ne.jp", "i.softbank.jp", "nifty.com", "biglobe.ne.jp", "so-net.ne.jp", "ocn.ne.jp",
        "rediffmail.com", "sify.com", "hinet.net", "pchome.com.tw", "singnet.com.sg", "pacific.net.sg", "bigpond.com", "bigpond.net.au", "optusnet.com.au",
        "xtra.co.nz", "iinet.net.au",
        // Latin America, Africa, Middle East
        "uol.com.br", "bol.com.br", "terra.com.br", "ig.com.br", "prodigy.net.mx", "speedy.com.ar", "fibertel.com.ar",
        "mweb.co.za", "webmail.co.za", "telkomsa.net", "walla.com", "walla.co.il", "netvision.net.il",
    };

    /// <summary>
    /// The listed free-mail domain that <paramref name="host"/> is, or lies under, where it is longer than the host's
    /// registrable domain (<c>i.softbank.jp</c> under <c>softbank.jp</c>); null otherwise.
    /// </summary>
    public static string? ServiceHostOf(string host, string registrable)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(registrable);
        var lookup = Domains.GetAlternateLookup<ReadOnlySpan<char>>();
        string? found = null;
        for (var at = 0; host.Length - at > registrable.Length; at = host.IndexOf('.', at) + 1)
        {
            if (lookup.TryGetValue(host.AsSpan(at), out var listed))
            {
                found = listed;
            }

            if (host.IndexOf('.', at) < 0)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>True when <paramref name="registrableDomain"/> belongs to a free or consumer mail provider.</summary>
    public static bool Contains(string? registrableDomain)
    {
        if (string.IsNullOrEmpty(registrableDomain))
        {
            return false;
        }

        if (Domains.Contains(registrableDomain))
        {
            return true;
        }

        var dot = registrableDomain.IndexOf('.');
        return dot > 0 && AnyCountry.GetAlternateLookup<ReadOnlySpan<char>>().Contains(registrableDomain.AsSpan(0, dot));
    }
}
