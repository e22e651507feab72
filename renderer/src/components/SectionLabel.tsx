// A bundle section's heading text, as the open dialog and the case view's index both show it: the letter (drawn as
// a badge, read as "Section B:"), the title, and whether it was added later as a supplement.
export function SectionLabel({ section }: { section: { letter: string; title: string; supplementary: boolean } }) {
  return (
    <>
      <span className="section-letter" aria-hidden="true">
        {section.letter}
      </span>
      <span className="visually-hidden">Section {section.letter}: </span>
      {section.title}
      {section.supplementary ? <span className="badge badge-neutral">Supplementary</span> : null}
    </>
  );
}
