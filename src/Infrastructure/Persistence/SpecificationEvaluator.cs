using System.Linq.Expressions;
using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Applies a specification to an EF Core query: an ordered list of small stateless evaluators, the
/// criteria, ordering and paging ones taken from Ardalis.Specification, includes and no-tracking ours.
/// </summary>
public sealed class SpecificationEvaluator : ISpecificationEvaluator
{
    public static readonly SpecificationEvaluator Default = new();

    private readonly IReadOnlyList<IEvaluator> _evaluators =
    [
        WhereEvaluator.Instance,
        IncludeEvaluator.Instance,
        OrderEvaluator.Instance,
        PaginationEvaluator.Instance,
        AsNoTrackingEvaluator.Instance,
    ];

    public IQueryable<T> GetQuery<T>(IQueryable<T> inputQuery, ISpecification<T> specification, bool evaluateCriteriaOnly = false)
        where T : class
    {
        var query = inputQuery;
        foreach (var evaluator in _evaluators.Where(e => !evaluateCriteriaOnly || e.IsCriteriaEvaluator))
        {
            query = evaluator.GetQuery(query, specification);
        }

        return query;
    }

    public IQueryable<TResult> GetQuery<T, TResult>(IQueryable<T> inputQuery, ISpecification<T, TResult> specification)
        where T : class
    {
        var selector = specification.Selector ?? throw new InvalidOperationException($"{specification.GetType().Name} has no selector.");
        return GetQuery(inputQuery, (ISpecification<T>)specification).Select(selector);
    }
}

/// <summary>Turns Include/ThenInclude chains into EF Core include paths.</summary>
public sealed class IncludeEvaluator : IEvaluator
{
    public static readonly IncludeEvaluator Instance = new();

    public bool IsCriteriaEvaluator => false;

    public IQueryable<T> GetQuery<T>(IQueryable<T> query, ISpecification<T> specification)
        where T : class
    {
        foreach (var path in specification.IncludeStrings)
        {
            query = query.Include(path);
        }

        string? current = null;
        foreach (var include in specification.IncludeExpressions)
        {
            var member = MemberPath(include.LambdaExpression);
            if (include.Type == IncludeTypeEnum.Include)
            {
                if (current is not null)
                {
                    query = query.Include(current);
                }

                current = member;
            }
            else
            {
                current = current is null ? member : $"{current}.{member}";
            }
        }

        return current is null ? query : query.Include(current);
    }

    private static string MemberPath(LambdaExpression lambda)
    {
        var names = new Stack<string>();
        var body = lambda.Body;
        while (body is MemberExpression m)
        {
            names.Push(m.Member.Name);
            body = m.Expression;
        }

        return names.Count > 0 ? string.Join('.', names) : throw new NotSupportedException($"Include '{lambda}' is not a member path.");
    }
}

public sealed class AsNoTrackingEvaluator : IEvaluator
{
    public static readonly AsNoTrackingEvaluator Instance = new();

    public bool IsCriteriaEvaluator => false;

    public IQueryable<T> GetQuery<T>(IQueryable<T> query, ISpecification<T> specification)
        where T : class =>
        specification.AsNoTracking ? query.AsNoTracking()
        : specification.AsNoTrackingWithIdentityResolution ? query.AsNoTrackingWithIdentityResolution()
        : query;
}
