/**
 * "120 / 500 characters" under a text box, red with how many too many once over the limit. Put it in the
 * Field's hint (linked by aria-describedby). The box itself has no maxLength: a paste is never cut silently;
 * the form refuses the text with "At most 500 characters." until it is shortened.
 */
export function CharacterCount({ length, max }: { length: number; max: number }) {
  const over = length - max;
  return (
    <span data-testid="character-count" className={over > 0 ? "font-semibold text-red-700" : undefined}>
      {over > 0 ? `${length} / ${max} characters: ${over} too many` : `${length} / ${max} characters`}
    </span>
  );
}
