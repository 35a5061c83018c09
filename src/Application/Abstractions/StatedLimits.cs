using FluentValidation;
using FluentValidation.Validators;

namespace CoSell.Application.Abstractions;

/// <summary>
/// A list rule that states its bounds, so the API description can give them (<c>minItems</c>, <c>maxItems</c>, each
/// item's <c>maxLength</c>) from the rule that holds a request to them rather than from a copy of its numbers.
/// </summary>
public interface IListLimits
{
    int MinItems { get; }

    int MaxItems { get; }

    /// <summary>The most characters an item may have, where the items are text.</summary>
    int? ItemMaxLength { get; }
}

/// <summary>A list of <see cref="IListLimits.MinItems"/> to <see cref="IListLimits.MaxItems"/> items, each one the item rule takes; a null list is left to the other rules.</summary>
public sealed class BoundedListValidator<T, TItem>(int minItems, int maxItems, Func<TItem, bool> item, string message, int? itemMaxLength = null)
    : PropertyValidator<T, IReadOnlyList<TItem>?>, IListLimits
{
    public override string Name => "BoundedListValidator";

    public int MinItems => minItems;

    public int MaxItems => maxItems;

    public int? ItemMaxLength => itemMaxLength;

    public override bool IsValid(ValidationContext<T> context, IReadOnlyList<TItem>? value) =>
        value is null || (value.Count >= minItems && value.Count <= maxItems && value.All(item));

    protected override string GetDefaultMessageTemplate(string errorCode) => message;
}

/// <summary>A text rule that states its bound in words, for the API description, where no JSON Schema keyword says it exactly.</summary>
public interface ITextLimit
{
    /// <summary>The bound, as the field's description gives it.</summary>
    string Stated { get; }
}

/// <summary>
/// Free text of at most so many characters, not counting the white space around it. The API description states the
/// bound in words (<see cref="ITextLimit"/>): a <c>maxLength</c> would count the white space too, and refuse text the
/// service takes.
/// </summary>
public sealed class TrimmedLengthValidator<T>(int maximumLength, string message) : PropertyValidator<T, string?>, ITextLimit
{
    public override string Name => "TrimmedLengthValidator";

    public string Stated => $"At most {maximumLength.ToString(System.Globalization.CultureInfo.InvariantCulture)} characters, not counting the white space around the text.";

    public override bool IsValid(ValidationContext<T> context, string? value) => value is null || value.AsSpan().Trim().Length <= maximumLength;

    protected override string GetDefaultMessageTemplate(string errorCode) => message;
}

public static class StatedLimits
{
    /// <summary>Product lines or other labels: <paramref name="minItems"/> to <paramref name="maxItems"/> of them, each a label (<see cref="TextRules.IsLabel"/>) of at most <paramref name="maxLength"/> characters.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<string>?> Labels<T>(this IRuleBuilder<T, IReadOnlyList<string>?> rule, int minItems, int maxItems, int maxLength, string message) =>
        rule.SetValidator(new BoundedListValidator<T, string>(minItems, maxItems, label => TextRules.IsLabel(label, maxLength), message, maxLength));

    /// <summary><paramref name="minItems"/> to <paramref name="maxItems"/> items, each one <paramref name="item"/> takes.</summary>
    public static IRuleBuilderOptions<T, IReadOnlyList<TItem>?> Items<T, TItem>(this IRuleBuilder<T, IReadOnlyList<TItem>?> rule, int minItems, int maxItems, Func<TItem, bool> item, string message) =>
        rule.SetValidator(new BoundedListValidator<T, TItem>(minItems, maxItems, item, message));
}
