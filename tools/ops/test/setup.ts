// aws-sdk-client-mock-jest's matchers (toHaveReceivedCommandWith, ...).
import 'aws-sdk-client-mock-jest';

// The SDK's notice that 2027 releases need Node 22 would repeat in every test file's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
