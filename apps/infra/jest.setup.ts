// The import also brings the matchers' type declarations (jest.Matchers) into the specs.
import { setupJest } from 'cdktf/lib/testing/adapters/jest';

// toHaveResource / toHaveResourceWithProperties on synthesized stacks.
setupJest();
