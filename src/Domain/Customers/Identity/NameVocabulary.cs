namespace CoSell.Domain.Customers.Identity;

/// <summary>The words the normaliser folds or removes, and the words the scorer weighs less.</summary>
internal static class NameVocabulary
{
    /// <summary>Legal forms written in scripts without spaces, removed before transliteration.</summary>
    public static readonly string[] NativeLegalForms =
    [
        "股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "股份公司",
        "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "(有)", "(同)", "(合)",
        "주식회사", "유한회사", "(주)", "(유)",
        "בע\"מ", "בע״מ", "בעמ",
    ];

    /// <summary>"Group" and "holdings" in scripts without spaces, written in English so they weigh as little as in English.</summary>
    public static readonly (string Native, string English)[] NativeWeakWords =
    [
        ("集团", "group"), ("集團", "group"), ("控股", "holdings"), ("グループ", "group"), ("ホールディングス", "holdings"), ("그룹", "group"), ("홀딩스", "holdings"),
    ];

    /// <summary>Native legal forms that are also ordinary words, removed only at the end of a name.</summary>
    public static readonly string[] NativeTrailingLegalForms = ["公司"];

    /// <summary>Legal forms removed from the end of a name, after folding (S.p.A. is "spa", sp. z o.o. is "sp z oo").</summary>
    public static readonly string[] TrailingLegalForms =
    [
        // English-speaking countries
        "inc", "incorporated", "corp", "corporation", "co", "cos", "company", "companies", "llc", "l l c", "llp", "lllp", "lp", "pllc", "pc",
        "ltd", "limited", "plc", "pty", "pty ltd", "proprietary limited", "pte", "pte ltd", "pvt", "pvt ltd", "private limited", "public limited company",
        "public company limited", "pcl", "na", "national association", "limited liability company", "limited liability partnership", "limited partnership",
        "and co", "and company", "and cie", "and cia", "cie", "cia",
        // German-speaking countries
        "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "gbr", "ug", "ev", "eg", "se", "aktiengesellschaft", "gesellschaft mit beschrankter haftung",
        "gmbh and co kg", "gmbh and cokg", "and cokg", "und co", "und co kg", "ges mbh", "gesmbh", "e kfm", "ekfm", "e kfr", "ekfr",
        "ggmbh", "partg", "mbb", "partg mbb", "partgmbb",
        // Romance languages
        "sa", "sas", "sasu", "sarl", "sa rl", "eurl", "sca", "snc", "scs", "scop", "sa de cv", "sab de cv", "sapi de cv", "s de rl", "s de rl de cv", "de cv",
        "spa", "srl", "srls", "sapa", "scarl", "scrl", "sl", "slu", "sau", "sll", "ltda", "limitada", "lda", "unipessoal", "eireli", "epp", "saa", "sac", "saic", "saci", "sae", "sal",
        "societe anonyme", "societe par actions simplifiee", "societe a responsabilite limitee", "societa per azioni",
        "societa a responsabilita limitata", "sociedad anonima", "sociedad limitada", "sociedade anonima", "sociedade limitada", "y cia",
        // Benelux, Nordics
        "bv", "nv", "sanv", "nvsa", "vof", "cv", "bvba", "cvba", "sprl", "naamloze vennootschap", "besloten vennootschap",
        "ab", "ab publ", "publ", "hb", "kb", "as", "asa", "aps", "amba", "smba", "ks", "ivs", "oy", "oyj", "oyj abp", "ky", "ehf", "hf",
        "asbl", "aisbl", "vzw", "ivzw",
        "aktiebolag", "aktiebolaget", "aktieselskab", "aksjeselskap", "allmennaksjeselskap", "osakeyhtio", "julkinen osakeyhtio",
        // Central and eastern Europe, Russia, Turkey, Greece
        "sp z oo", "spolka z oo", "sp k", "spk", "sp j", "spj", "spolka z ograniczona odpowiedzialnoscia", "spolka akcyjna", "sk", "ska", "sro", "spol s ro", "vos",
        "kft", "zrt", "nyrt", "bt", "doo", "dd", "ad", "ead", "ood", "eood", "dooel", "sia", "uab", "ou", "tov",
        "ooo", "zao", "oao", "pao", "ao", "pjsc", "ojsc", "cjsc", "jsc", "joint stock company", "public joint stock company",
        "obshchestvo s ogranichennoy otvetstvennostyu", "aktsionernoe obshchestvo", "publichnoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo", "otkrytoe aktsionernoe obshchestvo", "anonim sirketi", "ltd sti", "ae", "epe", "ike", "oe", "ee",
        // Asia, Middle East, Africa
        "kk", "gk", "yk", "kabushiki kaisha", "kabushiki gaisha", "kabushikigaisha", "kabushikikaisha", "yugen kaisha", "godo kaisha",
        "goshi kaisha", "gomei kaisha", "zhushihuishe", "zhu shi hui she", "youxiangongsi", "youxian gongsi", "gufen youxian gongsi",
        "gufenyouxiangongsi", "youxianzerengongsi", "jusighoesa", "jusikhoesa", "jusik hoesa", "sdn", "bhd", "sdn bhd", "berhad", "tbk", "persero",
        "pt tbk", "wll", "spc", "saog", "saoc", "psc", "qsc", "qpsc", "qcsc", "fze", "fzco", "fzc", "fz llc", "fzllc", "llc fz", "ltd pty", "npc", "soc ltd", "cc",
    ];

    /// <summary>Legal forms removed from the start of a name (OOO Romashka, PT Telkom, Kabushiki Kaisha Toshiba, AB Volvo).</summary>
    public static readonly string[] LeadingLegalForms =
    [
        "ooo", "zao", "oao", "pao", "pjsc", "ojsc", "cjsc", "jsc", "tov", "pt", "cv", "kk", "kabushiki kaisha", "kabushiki gaisha",
        "yugen kaisha", "godo kaisha", "ab", "aktiebolaget", "uab", "sia", "sc", "obshchestvo s ogranichennoy otvetstvennostyu",
        "aktsionernoe obshchestvo", "publichnoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo", "otkrytoe aktsionernoe obshchestvo",
    ];

    /// <summary>Articles removed from the start of a name.</summary>
    public static readonly HashSet<string> LeadingArticles = new(StringComparer.Ordinal)
    {
        "the", "la", "le", "les", "el", "los", "las", "der", "die", "das", "de", "het", "il", "lo", "gli",
    };

    /// <summary>"and" in the languages a name may end in after a legal form is removed ("Merck &amp; Co" → "merck and").</summary>
    public static readonly HashSet<string> Connectors = new(StringComparer.Ordinal)
    {
        "and", "und", "et", "y", "en", "og", "och", "ve", "i",
    };

    /// <summary>Abbreviations written out and a few words folded to one form, so "Acme Intl" and "Acme International", "KBC Groep" and "KBC Group" have the same key.</summary>
    public static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["intl"] = "international", ["int"] = "international", ["tech"] = "technology", ["techs"] = "technology", ["technologies"] = "technology",
        ["svc"] = "services", ["svcs"] = "services", ["serv"] = "services", ["service"] = "services", ["mfg"] = "manufacturing",
        ["mgmt"] = "management", ["mgt"] = "management", ["natl"] = "national", ["assn"] = "association", ["assoc"] = "association",
        ["bros"] = "brothers", ["ctr"] = "center", ["centre"] = "center", ["dept"] = "department", ["univ"] = "university",
        ["hosp"] = "hospital", ["sys"] = "systems", ["system"] = "systems", ["hldgs"] = "holdings", ["hldg"] = "holdings", ["grp"] = "group",
        ["inds"] = "industries", ["ind"] = "industries", ["industry"] = "industries", ["labs"] = "laboratories", ["lab"] = "laboratories",
        ["laboratory"] = "laboratories", ["engg"] = "engineering", ["ins"] = "insurance", ["finl"] = "financial",
        ["solns"] = "solutions", ["soln"] = "solutions", ["solution"] = "solutions", ["comms"] = "communications", ["commun"] = "communications",
        ["telecoms"] = "telecom", ["telecommunications"] = "telecom", ["pharma"] = "pharmaceuticals", ["pharm"] = "pharmaceuticals",
        ["pharmaceutical"] = "pharmaceuticals", ["elec"] = "electric", ["electrical"] = "electric", ["mtrs"] = "motors", ["mkts"] = "markets",
        ["coop"] = "cooperative", ["dev"] = "development", ["devel"] = "development", ["equip"] = "equipment", ["mach"] = "machines",
        ["assocs"] = "associates", ["amer"] = "american", ["mtg"] = "mortgage", ["invest"] = "investments",
        ["investment"] = "investments", ["partner"] = "partners", ["ptnrs"] = "partners", ["hlth"] = "health", ["healthcare"] = "health care",
        ["groupe"] = "group", ["grupo"] = "group", ["gruppe"] = "group", ["gruppo"] = "group", ["groep"] = "group", ["grupa"] = "group",
        ["holding"] = "holdings", ["st"] = "saint", ["ste"] = "sainte", ["mt"] = "mount",
    };

    /// <summary>Words that say little about which company is meant; the scorer counts them for less.</summary>
    public static readonly HashSet<string> WeakWords = new(StringComparer.Ordinal)
    {
        "group", "holdings",
        "international", "global", "worldwide", "enterprises",
        "usa", "us", "uk", "gb", "deutschland", "germany", "france", "italia", "italy", "espana", "spain", "japan", "nippon", "china",
        "canada", "india", "australia", "europe", "emea", "apac", "americas", "nederland", "netherlands", "schweiz", "suisse",
        "switzerland", "austria", "osterreich", "ireland", "singapore", "brasil", "brazil", "mexico", "korea", "benelux", "nordic", "nordics",
    };

    /// <summary>Small words that carry nothing for matching ("Bank of America" and "Bank America").</summary>
    public static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "and", "of", "for", "the", "de", "du", "des", "del", "da", "di", "do", "dos", "von", "van", "der", "und", "et", "y", "e", "a", "an", "on", "at", "in",
    };

    /// <summary>Web suffixes a company name sometimes carries ("Amazon.com", "Booking.com").</summary>
    public static readonly HashSet<string> WebSuffixes = new(StringComparer.Ordinal) { "com", "net", "org", "io", "ai" };
}
