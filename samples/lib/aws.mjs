// Options for AWS SDK clients. Under coldstart every instance gets COLDSTART_ENDPOINT (the emulator's
// own URL, which speaks the Lambda and SQS APIs); on AWS the variable is absent and the SDK uses the
// real regional endpoint.
export function awsClientOptions() {
  return process.env.COLDSTART_ENDPOINT ? { endpoint: process.env.COLDSTART_ENDPOINT } : {};
}
