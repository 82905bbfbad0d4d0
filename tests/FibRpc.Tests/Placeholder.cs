namespace FibRpc.Tests;
