namespace FibRpc.IntegrationTests;
