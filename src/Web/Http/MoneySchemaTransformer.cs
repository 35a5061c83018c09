using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using static CoSell.Web.Http.SchemaText;

namespace CoSell.Web.Http;

/// <summary>
/// An amount's schema says how many decimals it takes: its currency's ISO 4217 minor unit, which no JSON Schema keyword
/// can tie to another field.
/// </summary>
public sealed class MoneySchemaTransformer : IOpenApiSchemaTransformer
{
    public const string AmountDescription =
        "At least one minor unit of the currency and at most 100,000,000,000, with no more decimals than the currency's " +
        "ISO 4217 minor unit: three for BHD, IQD, JOD, KWD, LYD, OMR and TND (1.234), none for currencies without one " +
        "such as JPY and KRW (1000), two for every other (1234.56). A finer amount is a 400, never rounded.";

    public const string ThresholdDescription =
        "An amount in the rules' currency, from 0 to 100,000,000,000, with no more decimals than its ISO 4217 minor unit " +
        "(three for BHD, IQD, JOD, KWD, LYD, OMR and TND, none for JPY and the like, two for every other).";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(MoneyInput))
        {
            Describe(schema, "amount", AmountDescription);
        }
        else if (type == typeof(MoneyDto))
        {
            Describe(schema, "amount", "As it was given, to the currency's ISO 4217 minor unit, with no trailing zeros: 1.234 BHD, 1234.5 USD, 1000 JPY.");
        }
        else if (type == typeof(TierPolicyInput))
        {
            Describe(schema, "minimumDealValue", ThresholdDescription);
            Describe(schema, "autoApproveCeiling", ThresholdDescription);
        }

        return Task.CompletedTask;
    }
}
