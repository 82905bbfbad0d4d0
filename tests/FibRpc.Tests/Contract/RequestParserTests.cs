using System.Text;
using FibRpc.Contract;

namespace FibRpc.Tests.Contract;

public sealed class RequestParserTests
{
    private const int MaxN = 100_000;
    private const int MaxBody = 64;

    private static FibRequest Parse(string body) => RequestParser.Parse(Encoding.UTF8.GetBytes(body), MaxN, MaxBody);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("30", 30)]
    [InlineData(" 30 ", 30)]
    [InlineData("\t\r\n42\n", 42)]
    [InlineData("007", 7)]
    [InlineData("-0", 0)]
    [InlineData("100000", MaxN)]
    public void Valid_requests_give_n(string body, int expected)
    {
        var request = Parse(body);
        Assert.True(request.Error is null, request.Error?.Message);
        Assert.Equal(expected, request.N);
    }

    [Theory]
    [InlineData("", RpcErrorCodes.EmptyRequest)]
    [InlineData("   \n\t", RpcErrorCodes.EmptyRequest)]
    [InlineData("abc", RpcErrorCodes.NotANumber)]
    [InlineData("1.5", RpcErrorCodes.NotANumber)]
    [InlineData("1e3", RpcErrorCodes.NotANumber)]
    [InlineData("+5", RpcErrorCodes.NotANumber)]
    [InlineData("0x10", RpcErrorCodes.NotANumber)]
    [InlineData("1 2", RpcErrorCodes.NotANumber)]
    [InlineData("-", RpcErrorCodes.NotANumber)]
    [InlineData("٣", RpcErrorCodes.NotANumber)] // an Arabic-Indic digit: valid UTF-8, not ASCII decimal
    [InlineData("-5", RpcErrorCodes.Negative)]
    [InlineData("-99999999999999999999", RpcErrorCodes.Negative)]
    [InlineData("100001", RpcErrorCodes.TooLarge)]
    [InlineData("99999999999999999999999999999999", RpcErrorCodes.TooLarge)]
    public void Bad_requests_get_their_own_code(string body, string code)
    {
        var request = Parse(body);
        Assert.NotNull(request.Error);
        Assert.Equal(code, request.Error!.Value.Code);
        Assert.False(string.IsNullOrWhiteSpace(request.Error.Value.Message));
    }

    [Fact]
    public void Oversized_body_is_refused_before_it_is_read()
    {
        var request = RequestParser.Parse(Encoding.ASCII.GetBytes(new string('1', MaxBody + 1)), int.MaxValue, MaxBody);
        Assert.Equal(RpcErrorCodes.BodyTooLarge, request.Error!.Value.Code);
    }

    [Fact]
    public void Body_at_the_size_limit_is_parsed()
    {
        var body = new string(' ', MaxBody - 2) + "12";
        Assert.Equal(12, RequestParser.Parse(Encoding.ASCII.GetBytes(body), MaxN, MaxBody).N);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { (byte)'1', 0xC3 })] // truncated two-byte sequence
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // UTF-16 surrogate encoded in UTF-8
    public void Invalid_utf8_is_refused(byte[] body)
    {
        Assert.Equal(RpcErrorCodes.NotUtf8, RequestParser.Parse(body, MaxN, MaxBody).Error!.Value.Code);
    }

    [Fact]
    public void The_limit_on_n_is_the_configured_one()
    {
        Assert.Null(RequestParser.Parse("10"u8, 10, MaxBody).Error);
        Assert.Equal(RpcErrorCodes.TooLarge, RequestParser.Parse("11"u8, 10, MaxBody).Error!.Value.Code);
        Assert.Contains("10", RequestParser.Parse("11"u8, 10, MaxBody).Error!.Value.Message, StringComparison.Ordinal);
    }
}
