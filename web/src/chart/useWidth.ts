import type { RefObject } from 'react';
import { useEffect, useState } from 'react';

/** The width of a box, followed as it resizes (a fixed guess where ResizeObserver is missing, e.g. jsdom). */
export function useWidth(ref: RefObject<HTMLElement | null>, fallback = 640): number {
  const [w, setW] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const ro = new ResizeObserver(([e]) => setW(Math.max(260, Math.floor(e!.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

/** Put a Plot figure into a box; a strict CSP (style-src 'self') refuses Plot's inline <style>, and app.css has the rules. */
export function mountPlot(box: HTMLElement, figure: (SVGSVGElement | HTMLElement) | null): () => void {
  box.replaceChildren();
  if (figure) {
    for (const st of figure.querySelectorAll('style')) st.remove();
    box.append(figure);
  }
  return () => box.replaceChildren();
}
