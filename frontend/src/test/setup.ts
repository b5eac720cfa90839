import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// These tests check behaviour, not speed. The machines they run on have two cores shared with
// Rust builds and benchmarks, where a lazily loaded page can take more than Testing Library's
// default second to appear; waiting longer only slows a test that is failing anyway.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  // Some tests (the schema check) run in the node environment, without a DOM.
  if (typeof window === 'undefined') return;
  cleanup();
  window.sessionStorage.clear();
  window.localStorage.clear();
});
