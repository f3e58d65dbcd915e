// Sign Connect and Contact Lens calls as API Gateway's AWS_IAM expects: SigV4 scoped to "execute-api".
//
// The AWS SDK for JavaScript v3 signs both operations as service "connect"; an API Gateway stage with AWS_IAM
// accepts only signatures scoped to "execute-api". Wrap a client configuration with executeApi() to sign as
// execute-api in the client's region:
//
//   import { ConnectClient } from "@aws-sdk/client-connect";
//   import { executeApi } from "./execute-api.mjs";
//   const connect = new ConnectClient(executeApi({ endpoint: apiUrl, region: "us-east-1" }));
//
// Use such a client only for this API: every call it makes is signed for API Gateway.

export const SIGNING_NAME = "execute-api";

/** The client configuration with an auth scheme provider that signs every call as execute-api. */
export function executeApi(config = {}) {
  return {
    ...config,
    httpAuthSchemeProvider: (parameters) => [
      {
        schemeId: "aws.auth#sigv4",
        // The SigV4 signer takes the service and region from these properties when they are set.
        signingProperties: { signingName: SIGNING_NAME, signingRegion: parameters.region },
        // As the SDK's own providers do: the signer reads the credentials and clock offset from the config.
        propertiesExtractor: (clientConfig, context) => ({ signingProperties: { config: clientConfig, context } }),
      },
    ],
  };
}
