import { PageHeading } from '../components/PageHeading';

export default function AccessibilityPage() {
  return (
    <>
      <PageHeading title="Accessibility statement" />
      <p>ksbfolio aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA.</p>
      <ul>
        <li>Every page can be used with a keyboard alone, and starts with a link to skip to the content.</li>
        <li>Progress charts are repeated as tables, and statuses are always written in words, not shown by colour alone.</li>
        <li>Pages work at 320 pixels wide and at 400% zoom.</li>
        <li>Form errors are listed at the top of the page and linked to the fields they concern.</li>
      </ul>
      <p>If something does not work for you, tell your training provider so that it can be fixed.</p>
    </>
  );
}
