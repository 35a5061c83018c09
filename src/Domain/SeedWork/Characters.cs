namespace CoSell.Domain.SeedWork;

/// <summary>The characters people's text is judged by, the same for every name, label and free text.</summary>
public static class Characters
{
    /// <summary>
    /// A control character (C0, DEL, C1 such as NEL U+0085) or a line or paragraph separator (U+2028, U+2029). The two
    /// separators are no controls to <see cref="char.IsControl(char)"/>, yet break a line as NEL does, in a timeline, an
    /// export or a terminal.
    /// </summary>
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>A direction control (U+202A–U+202E, U+2066–U+2069), which reorders what follows it.</summary>
    public static bool IsDirectionControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
