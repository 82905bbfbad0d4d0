// FibFunction on Azure Functions: a Linux Elastic Premium plan, the dotnet-isolated (.NET 10) function app, its
// storage account, workspace-based Application Insights, and read access to the Key Vault secret that holds the
// broker's AMQP URI.
//
//   az deployment group create --resource-group <rg> --template-file deploy/azure/main.bicep \
//     --parameters deploy/azure/main.bicepparam
//   func azure functionapp publish <appName>      (from FibFunction/)
//
// Elastic Premium because the RabbitMQ trigger does not run on Consumption or Flex Consumption. The code comes
// with `func azure functionapp publish`, which deploys host.json (prefetchCount 1) with the app, so no
// AzureFunctionsJobHost__* override is set here.

targetScope = 'resourceGroup'

@description('Name of the function app; also the prefix of the plan, Application Insights and Log Analytics names. Must be globally unique (it becomes <appName>.azurewebsites.net).')
@minLength(3)
@maxLength(50)
param appName string

@description('Azure region of every resource. Defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('Elastic Premium size. EP1 (1 vCPU, 3.5 GB) is plenty for one sequential consumer per instance.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param planSku string = 'EP1'

@description('Always-ready instances. At least 1: an RPC caller waits for its reply, so the app must not scale to zero.')
@minValue(1)
@maxValue(20)
param minimumInstanceCount int = 1

@description('Upper bound of the plan\'s elastic scale-out (maximumElasticWorkerCount). docs/scaling.md, capacity model: peak requests/s x service time / 0.7; 10 carry about 2,300 (largest n) to 4,800 (small n) requests/s.')
@minValue(1)
@maxValue(100)
param maximumInstanceCount int = 10

@description('Name of an existing Key Vault in this resource group, using Azure RBAC authorization, that holds the broker\'s AMQP URI. The function app gets the Key Vault Secrets User role on it.')
param keyVaultName string

@description('Name of the Key Vault secret whose value is the AMQP URI of the broker (user, password, host, port and vhost). Referenced without a version, so a rotated secret is picked up.')
param rabbitMqSecretName string = 'RabbitMQConnection'

@description('Optional: resource ID of a subnet (delegated to Microsoft.Web/serverFarms) for VNet integration, when the broker is only reachable on a private network. Empty for none.')
param subnetId string = ''

@description('Tags applied to every resource.')
param tags object = {}

// Built-in role "Key Vault Secrets User": read secret values, nothing else.
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// Storage account names: 3-24 lowercase letters and digits, globally unique.
var storageAccountName = 'st${uniqueString(resourceGroup().id, appName)}'

var storageConnectionString = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${appName}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${appName}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${appName}-plan'
  location: location
  tags: tags
  kind: 'elastic'
  sku: {
    name: planSku
    tier: 'ElasticPremium'
  }
  properties: {
    // Linux.
    reserved: true
    maximumElasticWorkerCount: maximumInstanceCount
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    // Resolves the Key Vault reference below; no secret is stored in the app's configuration.
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    reserved: true
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    virtualNetworkSubnetId: empty(subnetId) ? null : subnetId
    vnetRouteAllEnabled: !empty(subnetId)
    siteConfig: {
      linuxFxVersion: 'DOTNET-ISOLATED|10.0'
      // The platform's scale controller cannot see RabbitMQ; with runtime scale monitoring it asks the running
      // host, whose RabbitMQ scale monitor votes on the queue's message count per instance.
      functionsRuntimeScaleMonitoringEnabled: true
      minimumElasticInstanceCount: minimumInstanceCount
      use32BitWorkerProcess: false
      ftpsState: 'Disabled'
      minTlsVersion: '1.2'
      appSettings: [
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'dotnet-isolated'
        }
        {
          // Cold start: new instances specialise a .NET isolated worker that the platform has already started
          // (a placeholder) instead of starting the worker process from nothing. Applies to this code-deployed
          // Linux app: it needs linuxFxVersion to name the same .NET version as the project (DOTNET-ISOLATED|10.0)
          // and a 64-bit worker (use32BitWorkerProcess false). A custom container image cannot use it.
          name: 'WEBSITE_USE_PLACEHOLDER_DOTNETISOLATED'
          value: '1'
        }
        {
          name: 'AzureWebJobsStorage'
          value: storageConnectionString
        }
        {
          // Elastic Premium keeps the app's content on an Azure Files share.
          name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING'
          value: storageConnectionString
        }
        {
          name: 'WEBSITE_CONTENTSHARE'
          value: toLower(appName)
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          // The trigger's ConnectionStringSetting. A Key Vault reference, resolved with the app's identity.
          name: 'RabbitMQConnection'
          value: '@Microsoft.KeyVault(SecretUri=${keyVault.properties.vaultUri}secrets/${rabbitMqSecretName})'
        }
        // The FibRpc__ settings keep their defaults (README, "Configuration"); add one here only to differ from them.
      ]
    }
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, functionApp.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: functionApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('Name of the function app, for `func azure functionapp publish`.')
output functionAppName string = functionApp.name

@description('Object ID of the app\'s system-assigned identity (has Key Vault Secrets User on the vault).')
output principalId string = functionApp.identity.principalId

@description('The Key Vault secret the RabbitMQConnection setting refers to.')
output rabbitMqSecretUri string = '${keyVault.properties.vaultUri}secrets/${rabbitMqSecretName}'
