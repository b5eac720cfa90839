/** An apprentice's shortcuts (/progress, /my-evidence…) resolve to their own apprenticeship. */
import { Navigate } from 'react-router';
import { PageHeading } from '../../components/PageHeading';
import { EmptyState, QueryView } from '../../components/QueryState';
import { useApprenticeships } from '../../hooks/queries';

export default function MyApprenticeship({ to }: { to: string }) {
  const query = useApprenticeships({ limit: 10 });
  return (
    <QueryView query={query} label="Finding your apprenticeship">
      {(page) => {
        const current = page.items[0];
        if (current === undefined) {
          return (
            <>
              <PageHeading title="My progress" />
              <EmptyState>
                You are not enrolled on an apprenticeship yet. Your training provider will set it up.
              </EmptyState>
            </>
          );
        }
        return <Navigate to={`/apprenticeships/${current.id}${to}`} replace />;
      }}
    </QueryView>
  );
}
