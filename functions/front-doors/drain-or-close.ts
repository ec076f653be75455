/**
 * Resolves at a stream's next 'drain', or at its 'close' if the reader leaves first, and leaves
 * no listener behind: both front doors wait so when a write of an iterated body has filled the
 * buffer. (`Promise.race` of two `events.once` kept the loser's 'close' and 'error' listeners per
 * wait until the stream closed: hundreds on a large body to a slow client.)
 */
export function drainOrClose(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const settle = () => {
      stream.off("drain", settle);
      stream.off("close", settle);
      resolve();
    };
    stream.on("drain", settle);
    stream.on("close", settle);
  });
}
