/**
 * A value made once on first use and shared by every caller. A failed attempt is forgotten, so
 * a later call tries again (a service whose version document was unreachable for a moment must
 * not stay broken for the driver's lifetime).
 */
export function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending === undefined) {
      const attempt = make();
      pending = attempt;
      attempt.catch(() => {
        if (pending === attempt) pending = undefined;
      });
    }
    return pending;
  };
}
