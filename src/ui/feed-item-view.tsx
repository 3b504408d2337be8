import { Box, Text } from 'ink';
import { Chalk } from 'chalk';

/** A rendered record in the log: its lines, and a blank line after it. */
export function RecordBlock({ lines }: { lines: string[] }) {
  return (
    <Box flexDirection="column" marginBottom={1}>
      {lines.map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </Box>
  );
}

/** A notice between records (a gap left by the pause buffer, an expired iterator). */
export function NoticeLine({ text, color }: { text: string; color: boolean }) {
  const c = new Chalk({ level: color ? 1 : 0 });
  return (
    <Box marginBottom={1}>
      <Text>{c.yellow('… ' + text)}</Text>
    </Box>
  );
}
