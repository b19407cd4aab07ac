import { createInterface } from 'node:readline';

/** Asks on the terminal; anything but y/yes (Ctrl-C and Ctrl-D included) is a no. */
export function confirm(question: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    let answered = false;
    prompt.on('close', () => {
      if (!answered) resolve(false);
    });
    prompt.question(question, (answer) => {
      answered = true;
      prompt.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY);
}
