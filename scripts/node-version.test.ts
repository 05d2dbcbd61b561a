import { expect, it } from 'vitest';

// CI runs the suite a second time on another Node major and sets OCX_EXPECT_NODE_MAJOR, so this proves that
// the test workers (not only the shell) really run on that Node.
it.runIf(process.env.OCX_EXPECT_NODE_MAJOR)('runs on the Node major CI asked for', () => {
  expect(process.versions.node.split('.')[0]).toBe(process.env.OCX_EXPECT_NODE_MAJOR);
});
