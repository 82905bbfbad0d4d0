// Parameters for main.bicep. Copy per environment; nothing here is secret (the AMQP URI lives in Key Vault).
//   az deployment group create --resource-group <rg> --template-file deploy/azure/main.bicep \
//     --parameters deploy/azure/main.bicepparam
using './main.bicep'

// Globally unique: it becomes <appName>.azurewebsites.net.
param appName = 'fibfunctions-dev'

// An existing, RBAC-mode Key Vault in the same resource group, holding the secret named below.
param keyVaultName = 'kv-fibfunctions-dev'
param rabbitMqSecretName = 'RabbitMQConnection'

param planSku = 'EP1'
param minimumInstanceCount = 1
param maximumInstanceCount = 10
