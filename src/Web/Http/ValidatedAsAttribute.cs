namespace CoSell.Web.Http;

/// <summary>
/// Names the request a body becomes, whose validator decides which of the body's fields are required: the OpenAPI
/// document then marks them so (<see cref="ValidatorSchemaTransformer"/>) without a second list to keep in step.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ValidatedAsAttribute(Type request) : Attribute
{
    public Type Request { get; } = request;
}
