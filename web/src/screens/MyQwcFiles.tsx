/** An accountant's own QWC files (an admin sees everyone's): one per connector they run the Web Connector for. */
import { useState } from 'react';
import { useApi } from '../api';
import { Pager, QueryState, formatTime, useCursor } from '../components';
import { MyRegistrationsDocument } from '../generated/graphql';
import { useSession } from '../session';
import { downloadQwc } from './qwc-download';

export function MyQwcFilesScreen() {
  const { token } = useSession();
  const cursor = useCursor();
  const [result] = useApi(MyRegistrationsDocument, { first: 25, after: cursor.after });
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="qwc-title">
      <h1 id="qwc-title">QWC files</h1>
      {error && <div className="error" role="alert">{error}</div>}
      <QueryState result={result} what="QWC files" isEmpty={(d) => d.registrations.nodes.length === 0} empty="No QWC file yet: an admin registers you on a connector.">
        {(data) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">Connector</th>
                  <th scope="col">For</th>
                  <th scope="col">Created</th>
                  <th scope="col">QWC file</th>
                </tr>
              </thead>
              <tbody>
                {data.registrations.nodes.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.connector.name}</th>
                    <td>{r.user.name}</td>
                    <td>{formatTime(r.createdAt)}</td>
                    <td>
                      {r.revokedAt ? (
                        `revoked ${formatTime(r.revokedAt)}`
                      ) : (
                        <button type="button" onClick={() => downloadQwc(r.id, token ?? '').then(() => setError(null), (e: Error) => setError(e.message))}>
                          Download QWC for {r.connector.name}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager cursor={cursor} pageInfo={data.registrations.pageInfo} totalCount={data.registrations.totalCount} label="QWC files" />
          </>
        )}
      </QueryState>
    </section>
  );
}
