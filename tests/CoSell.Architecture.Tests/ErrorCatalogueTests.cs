using System.Reflection;
using System.Text.RegularExpressions;
using CoSell.Web.Http;
using FluentAssertions.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CoSell.Architecture.Tests;

/// <summary>
/// docs/errors.md lists every problem <c>code</c> the service can answer, and only those. The codes are read from the
/// source where errors are made: the code argument of every exception that carries one, of every method that passes
/// its own code parameter on to such a place, and every <c>["code"] = …</c> a problem is given; plus the codes the
/// problem mapping gives a bare status, read from the compiled table.
/// </summary>
public sealed partial class ErrorCatalogueTests
{
    [Fact]
    public void Catalogue_ListsEveryCodeTheServiceAnswers_AndNoOther()
    {
        var root = RepositoryRoot();
        var found = ProblemCodes.In(Path.Combine(root, "src"));
        var codes = found.Codes.Concat(StatusCodes()).ToHashSet(StringComparer.Ordinal);
        var path = Path.Combine(root, "docs", "errors.md");
        var listed = File.Exists(path) ? CataloguedCodes(File.ReadAllText(path)) : [];

        var missing = codes.Where(c => !listed.Contains(c)).Order(StringComparer.Ordinal).ToList();
        var unlistedPatterns = found.Patterns.Where(p => !listed.Any(p.IsMatch)).Select(p => p.ToString()).ToList();
        var stale = listed.Where(c => !codes.Contains(c) && !found.Patterns.Any(p => p.IsMatch(c))).Order(StringComparer.Ordinal).ToList();
        using (new AssertionScope())
        {
            File.Exists(path).Should().BeTrue("docs/errors.md is the catalogue of problem codes");
            found.Unreadable.Should().BeEmpty("a code is given where an error is made as a string literal (or a choice of literals), so that it can be catalogued: {0}", string.Join("; ", found.Unreadable));
            missing.Should().BeEmpty("every code the service can answer is in docs/errors.md, and these are not: {0}", string.Join(", ", missing));
            unlistedPatterns.Should().BeEmpty("a code built at run time is listed in docs/errors.md by each of its concrete values, and these have none: {0}", string.Join(", ", unlistedPatterns));
            stale.Should().BeEmpty("docs/errors.md lists no code the service no longer answers, and it lists these: {0}", string.Join(", ", stale));
        }
    }

    [Fact]
    public void Codes_AreReadOnlyWhereErrorsAreMade()
    {
        const string source = """
            public class DomainException(string code, string message) : Exception(message) { public string Code { get; } = code; }
            public sealed class OtherException(string code, string field, string message) : DomainException(code, message);
            public sealed record RegistrationSubmitted(string Type) { public const string Name = "registration.submitted"; }
            public static class Text
            {
                public static void Check(string text, string code) { if (text.Length > 3) throw new OtherException(code, "text", "Too long."); }
                public static bool Known(string code) => code == "EUR";
            }
            public sealed class Aggregate
            {
                private string _type = "timeline.entry";
                public void Act(bool open, string kind)
                {
                    Raise(new RegistrationSubmitted("registration.submitted"));
                    Text.Check("abcd", "area.too_long");
                    Text.Known("USD");
                    if (open) throw new DomainException(open ? "area.first" : "area.second", $"Not {kind}.");
                    throw Closed();
                    throw new DomainException($"{kind}.changed", "Changed.");
                }
                private DomainException Closed() => new("area.closed", "Closed.");
                public void Write(Dictionary<string, object?> extensions) => extensions["code"] = "area.written";
            }
            """;

        var found = ProblemCodes.Of([CSharpSyntaxTree.ParseText(source)]);

        found.Codes.Should().BeEquivalentTo("area.too_long", "area.first", "area.second", "area.closed", "area.written");
        found.Patterns.Should().ContainSingle().Which.IsMatch("partner.changed").Should().BeTrue();
        found.Unreadable.Should().BeEmpty();
    }

    /// <summary>The codes the problem mapping gives a status that carries none of its own, and the one for any other status.</summary>
    private static IEnumerable<string> StatusCodes()
    {
        const BindingFlags hidden = BindingFlags.NonPublic | BindingFlags.Static;
        var table = (IReadOnlyDictionary<int, string>)typeof(ProblemSetup).GetField("Codes", hidden)!.GetValue(null)!;
        var other = (string)typeof(ProblemSetup).GetMethod("CodeFor", hidden)!.Invoke(null, [599])!;
        return table.Values.Append(other);
    }

    /// <summary>The codes of the catalogue's tables: each row names one code, in backticks, in its first cell.</summary>
    private static HashSet<string> CataloguedCodes(string markdown) =>
        CatalogueRow().Matches(markdown).Select(m => m.Groups["code"].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\|\s*`(?<code>[^`]+)`\s*\|", RegexOptions.Multiline)]
    private static partial Regex CatalogueRow();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoSell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("No CoSell.sln above " + AppContext.BaseDirectory);
    }
}

/// <summary>The problem codes a source tree gives, read from the places where a code is given and nowhere else.</summary>
internal sealed class ProblemCodes
{
    public SortedSet<string> Codes { get; } = new(StringComparer.Ordinal);

    /// <summary>Codes built at run time, such as <c>{kind}.changed</c>: each hole stands for a word.</summary>
    public List<Regex> Patterns { get; } = [];

    /// <summary>Code arguments that are neither literals nor a code passed on, by file and line.</summary>
    public List<string> Unreadable { get; } = [];

    public static ProblemCodes In(string sourceRoot)
    {
        var separator = Path.DirectorySeparatorChar;
        var trees = Directory.EnumerateFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: Path.GetRelativePath(sourceRoot, f)));
        return Of(trees);
    }

    public static ProblemCodes Of(IEnumerable<SyntaxTree> trees)
    {
        var nodes = trees.SelectMany(t => t.GetCompilationUnitRoot().DescendantNodes()).ToList();
        var found = new ProblemCodes();

        // An exception that carries a code takes it as its constructor's parameter named code.
        var carriers = nodes.OfType<TypeDeclarationSyntax>()
            .Where(t => t.Identifier.Text.EndsWith("Exception", StringComparison.Ordinal) && t.ParameterList is not null && IndexOfCode(t.ParameterList) >= 0)
            .ToDictionary(t => t.Identifier.Text, t => IndexOfCode(t.ParameterList!), StringComparer.Ordinal);

        var positions = new Queue<ExpressionSyntax>();
        foreach (var creation in nodes.OfType<BaseObjectCreationExpressionSyntax>())
        {
            var type = creation switch
            {
                ObjectCreationExpressionSyntax o => Name(o.Type),
                ImplicitObjectCreationExpressionSyntax i => TargetType(i),
                _ => null,
            };
            if (type is not null && carriers.TryGetValue(type, out var index) && Argument(creation.ArgumentList, index) is { } code)
            {
                positions.Enqueue(code);
            }
        }

        // A problem given its code directly: problem.Extensions["code"] = …, or { ["code"] = … } in an initialiser.
        foreach (var assignment in nodes.OfType<AssignmentExpressionSyntax>())
        {
            var key = assignment.Left switch
            {
                ElementAccessExpressionSyntax e => e.ArgumentList.Arguments,
                ImplicitElementAccessSyntax i => i.ArgumentList.Arguments,
                _ => default,
            };
            if (key is [{ Expression: LiteralExpressionSyntax { Token.ValueText: "code" } }] && IsExtensions(assignment.Left))
            {
                positions.Enqueue(assignment.Right);
            }
        }

        // A business rule names the code its breach is refused with.
        foreach (var property in nodes.OfType<PropertyDeclarationSyntax>())
        {
            if (property.Identifier.Text == "Code" && property.Parent is TypeDeclarationSyntax { BaseList: { } bases } && bases.Types.Any(b => Name(b.Type) == "IBusinessRule")
                && (property.ExpressionBody?.Expression ?? property.Initializer?.Value) is { } value)
            {
                positions.Enqueue(value);
            }
        }

        // A method that passes its own code parameter on to such a place is one too, wherever it is called (a call
        // by its name and a number of arguments it takes: another method of the same name takes other arguments).
        var forwarders = new HashSet<Forwarder>();
        while (positions.TryDequeue(out var position))
        {
            foreach (var forwarder in found.Read(position))
            {
                if (!forwarders.Add(forwarder))
                {
                    continue;
                }

                foreach (var call in nodes.OfType<InvocationExpressionSyntax>().Where(forwarder.IsCalledBy))
                {
                    if (Argument(call.ArgumentList, forwarder.Index) is { } code)
                    {
                        positions.Enqueue(code);
                    }
                }
            }
        }

        return found;
    }

    /// <summary>Records the code or codes an expression in a code's place gives; answers the methods it passes its own parameter on from.</summary>
    private IEnumerable<Forwarder> Read(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                Codes.Add(literal.Token.ValueText);
                return [];
            case ParenthesizedExpressionSyntax parenthesized:
                return Read(parenthesized.Expression);
            case ConditionalExpressionSyntax conditional:
                return Read(conditional.WhenTrue).Concat(Read(conditional.WhenFalse)).ToList();
            case BinaryExpressionSyntax coalesce when coalesce.IsKind(SyntaxKind.CoalesceExpression):
                return Read(coalesce.Left).Concat(Read(coalesce.Right)).ToList();
            case InterpolatedStringExpressionSyntax interpolated:
                Patterns.Add(new Regex("^" + string.Concat(interpolated.Contents.Select(c => c is InterpolatedStringTextSyntax text ? Regex.Escape(text.TextToken.ValueText) : "[a-z_]+")) + "$"));
                return [];
            // A code already given where the error was first made (u.Code), or the one of a bare status (read from the compiled table).
            case MemberAccessExpressionSyntax { Name.Identifier.Text: "Code" }:
            case InvocationExpressionSyntax call when InvokedName(call) == "CodeFor":
                return [];
            case IdentifierNameSyntax identifier when Forwarded(identifier) is { } forwarded:
                return forwarded is { Method: not null } ? [forwarded] : [];
            default:
                var line = expression.GetLocation().GetLineSpan();
                Unreadable.Add($"{line.Path}:{line.StartLinePosition.Line + 1}: {expression}");
                return [];
        }
    }

    /// <summary>The method (and the place in its parameters) whose parameter the identifier is; a null method for a carrier's own constructor.</summary>
    private static Forwarder? Forwarded(IdentifierNameSyntax identifier)
    {
        foreach (var ancestor in identifier.Ancestors())
        {
            var (name, parameters) = ancestor switch
            {
                MethodDeclarationSyntax m => (m.Identifier.Text, m.ParameterList),
                LocalFunctionStatementSyntax l => (l.Identifier.Text, l.ParameterList),
                ConstructorDeclarationSyntax c => (c.Identifier.Text, c.ParameterList),
                TypeDeclarationSyntax t => ((string?)null, t.ParameterList),
                _ => ((string?)null, (ParameterListSyntax?)null),
            };
            var index = parameters?.Parameters.IndexOf(p => p.Identifier.Text == identifier.Identifier.Text) ?? -1;
            if (index >= 0)
            {
                return new Forwarder(name, index, parameters!.Parameters.Count(p => p.Default is null && !p.Modifiers.Any(SyntaxKind.ParamsKeyword)), parameters.Parameters.Count);
            }

            if (ancestor is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or TypeDeclarationSyntax)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>A method passing its parameter at <see cref="Index"/> on as a code; it takes <see cref="Required"/> to <see cref="Total"/> arguments.</summary>
    private sealed record Forwarder(string? Method, int Index, int Required, int Total)
    {
        public bool IsCalledBy(InvocationExpressionSyntax call) =>
            InvokedName(call) == Method && call.ArgumentList.Arguments.Count >= Required && call.ArgumentList.Arguments.Count <= Total;
    }

    /// <summary>Whether the dictionary written is a problem's extensions (and not, say, a schema's properties).</summary>
    private static bool IsExtensions(ExpressionSyntax target)
    {
        var dictionary = target switch
        {
            ElementAccessExpressionSyntax e => e.Expression,
            ImplicitElementAccessSyntax { Parent: AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax initializer } } => initializer.Parent switch
            {
                AssignmentExpressionSyntax a => a.Left,
                ObjectCreationExpressionSyntax { Parent: ArgumentSyntax { NameColon: { } argument } } => argument.Name,
                ObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax v } } => SyntaxFactory.IdentifierName(v.Identifier),
                ObjectCreationExpressionSyntax { Parent: AssignmentExpressionSyntax a } => a.Left,
                _ => null,
            },
            _ => null,
        };
        var name = dictionary switch
        {
            MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
            SimpleNameSyntax s => s.Identifier.Text,
            _ => null,
        };
        return string.Equals(name, "extensions", StringComparison.OrdinalIgnoreCase);
    }

    private static int IndexOfCode(ParameterListSyntax parameters) => parameters.Parameters.IndexOf(p => p.Identifier.Text == "code");

    /// <summary>The argument given for the parameter at <paramref name="index"/> (named code, or in its place).</summary>
    private static ExpressionSyntax? Argument(ArgumentListSyntax? arguments, int index)
    {
        if (arguments is null)
        {
            return null;
        }

        if (arguments.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.Text == "code") is { } named)
        {
            return named.Expression;
        }

        return arguments.Arguments.Count > index && arguments.Arguments.Take(index + 1).All(a => a.NameColon is null) ? arguments.Arguments[index].Expression : null;
    }

    /// <summary>The type a target-typed <c>new(…)</c> makes, where the code states it.</summary>
    private static string? TargetType(ImplicitObjectCreationExpressionSyntax creation) => creation.Parent switch
    {
        ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax m } => Name(m.ReturnType),
        ArrowExpressionClauseSyntax { Parent: LocalFunctionStatementSyntax l } => Name(l.ReturnType),
        ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax p } => Name(p.Type),
        ReturnStatementSyntax r => r.Ancestors().Select(a => a switch
        {
            MethodDeclarationSyntax m => Name(m.ReturnType),
            LocalFunctionStatementSyntax l => Name(l.ReturnType),
            _ => null,
        }).FirstOrDefault(n => n is not null),
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax v } } => Name(v.Type),
        EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax p } => Name(p.Type),
        _ => null,
    };

    private static string? Name(TypeSyntax type) => type switch
    {
        NullableTypeSyntax n => Name(n.ElementType),
        QualifiedNameSyntax q => q.Right.Identifier.Text,
        AliasQualifiedNameSyntax a => a.Name.Identifier.Text,
        SimpleNameSyntax s => s.Identifier.Text,
        _ => null,
    };

    private static string? InvokedName(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax m => m.Name.Identifier.Text,
        SimpleNameSyntax s => s.Identifier.Text,
        _ => null,
    };
}
