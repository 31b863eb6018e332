/**
 * Test support: `renderHook` on top of `render`, so the same hook tests run
 * with @testing-library/react 12 (React 17, which has no `renderHook`) as
 * with 16 (React 18 and 19).
 */
import { Fragment, type ReactNode } from "react";
import { render } from "@testing-library/react";

/** A rendered hook: its latest result, and ways to render it again or remove it. */
export interface RenderedHook<P, R> {
  result: { current: R };
  rerender(props: P): void;
  unmount(): void;
}

/** Renders a component that calls `callback(props)` and keeps what it returned. */
export function renderHook<P, R>(
  callback: (props: P) => R,
  options: { initialProps: P; wrapper?: (props: { children: ReactNode }) => ReactNode },
): RenderedHook<P, R> {
  const result = { current: undefined as R };
  function Probe({ props }: { props: P }) {
    result.current = callback(props);
    return null;
  }
  const Wrapper = options.wrapper ?? Fragment;
  const tree = (props: P) => <Wrapper>{<Probe props={props} />}</Wrapper>;
  const rendered = render(tree(options.initialProps));
  return {
    result,
    rerender: (props) => rendered.rerender(tree(props)),
    unmount: () => rendered.unmount(),
  };
}
