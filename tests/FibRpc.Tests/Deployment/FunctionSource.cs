using System.Reflection;
using FibRpc.Contract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace FibRpc.Tests.Deployment;

/// <summary>
/// What the function's source says about its binding, read from FibFunction/FibTrigger.cs with Roslyn (syntax
/// only: FibFunction itself needs the Azure Functions worker packages and is not built by the tests). Arguments
/// may be string literals or constants of <see cref="RpcNames"/>, which are resolved by reflection.
/// </summary>
internal static class FunctionSource
{
    public const string File = "FibFunction/FibTrigger.cs";

    /// <summary>The name in [Function(...)], and the queue and ConnectionStringSetting of [RabbitMQTrigger(...)].</summary>
    public static (string FunctionName, string Queue, string ConnectionSetting) Parse(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        var function = Single(root, "Function");
        var trigger = Single(root, "RabbitMQTrigger");

        var queue = trigger.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null && (a.NameColon is null || a.NameColon.Name.Identifier.ValueText == "queueName"))
            ?? throw new Xunit.Sdk.XunitException($"{File}: [RabbitMQTrigger] has no queue name argument");
        var connection = trigger.ArgumentList!.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "ConnectionStringSetting")
            ?? throw new Xunit.Sdk.XunitException($"{File}: [RabbitMQTrigger] has no ConnectionStringSetting (the host would look for an unnamed setting)");
        var name = function.ArgumentList?.Arguments.FirstOrDefault()
            ?? throw new Xunit.Sdk.XunitException($"{File}: [Function] has no name argument");

        return (Resolve(name.Expression), Resolve(queue.Expression), Resolve(connection.Expression));
    }

    private static AttributeSyntax Single(CompilationUnitSyntax root, string name)
    {
        var found = root.DescendantNodes().OfType<AttributeSyntax>().Where(a => Matches(a.Name, name)).ToList();
        Assert.True(found.Count == 1, $"{File}: expected exactly one [{name}] attribute, found {found.Count}");
        return found[0];
    }

    private static bool Matches(NameSyntax syntax, string name)
    {
        var simple = syntax switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax plain => plain.Identifier.ValueText,
            _ => syntax.ToString(),
        };
        return simple == name || simple == name + "Attribute";
    }

    /// <summary>A string literal, or a constant of RpcNames (RpcNames.X, FibRpc.Contract.RpcNames.X, or X via using static).</summary>
    private static string Resolve(ExpressionSyntax expression)
    {
        switch (expression)
        {
            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                return literal.Token.ValueText;
            case MemberAccessExpressionSyntax member when member.Expression.ToString() is "RpcNames" or "FibRpc.Contract.RpcNames" or "global::FibRpc.Contract.RpcNames":
                return RpcNamesConstant(member.Name.Identifier.ValueText, expression);
            case IdentifierNameSyntax identifier:
                return RpcNamesConstant(identifier.Identifier.ValueText, expression);
            default:
                throw new Xunit.Sdk.XunitException($"{File}: cannot resolve attribute argument '{expression}': use a string literal or an RpcNames constant");
        }
    }

    private static string RpcNamesConstant(string name, ExpressionSyntax expression)
    {
        var field = typeof(RpcNames).GetField(name, BindingFlags.Public | BindingFlags.Static);
        Assert.True(field is { IsLiteral: true } && field.FieldType == typeof(string), $"{File}: '{expression}' is not a string constant of FibRpc.Contract.RpcNames");
        return (string)field!.GetRawConstantValue()!;
    }
}
