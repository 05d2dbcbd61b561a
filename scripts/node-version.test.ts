import { expect, it } from 'vitest';

// CI runs the suite a second time on another Node major and sets OCX_EXPECT_NODE_MAJOR, so this proves that
// the test workers (not only the shell) really run on that Node.
it('runs on the Node major CI asked for', (context) => {
  if (process.env.OCX_EXPECT_NODE_MAJOR === undefined) {
    context.skip('only in the second CI run, which sets OCX_EXPECT_NODE_MAJOR (Node 24)');
    return;
  }
  expect(process.versions.node.split('.')[0]).toBe(process.env.OCX_EXPECT_NODE_MAJOR);
});
