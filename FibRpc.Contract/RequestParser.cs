using System.Text.Unicode;

namespace FibRpc.Contract;

/// <summary>
/// Parses a request body: ASCII decimal n, surrounding whitespace allowed, 0 &lt;= n &lt;= maxN; every other body is
/// a bad request with its own error code. No string is allocated for a valid request.
/// </summary>
public static class RequestParser
{
    public static FibRequest Parse(ReadOnlySpan<byte> body, int maxN, int maxBodyBytes)
    {
        if (body.Length > maxBodyBytes)
        {
            return FibRequest.Invalid(RpcErrorCodes.BodyTooLarge, $"request body is {body.Length} bytes; at most {maxBodyBytes} are accepted");
        }

        if (!Utf8.IsValid(body))
        {
            return FibRequest.Invalid(RpcErrorCodes.NotUtf8, "request body is not valid UTF-8");
        }

        var text = body.Trim(" \t\r\n\f\v"u8);
        if (text.IsEmpty)
        {
            return FibRequest.Invalid(RpcErrorCodes.EmptyRequest, "request body is empty; send the decimal text of n");
        }

        var negative = text[0] == (byte)'-';
        var digits = negative ? text[1..] : text;
        if (digits.IsEmpty || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return FibRequest.Invalid(RpcErrorCodes.NotANumber, "request body is not a decimal integer; send the decimal text of n, e.g. 30");
        }

        if (negative && digits.IndexOfAnyExcept((byte)'0') >= 0)
        {
            return FibRequest.Invalid(RpcErrorCodes.Negative, "n must not be negative");
        }

        // Accumulate with an early exit, so that a thousand-digit number cannot overflow.
        long n = 0;
        foreach (var digit in digits)
        {
            n = (n * 10) + (digit - '0');
            if (n > maxN)
            {
                return FibRequest.Invalid(RpcErrorCodes.TooLarge, $"n must be at most {maxN}");
            }
        }

        return FibRequest.Valid((int)n);
    }
}
