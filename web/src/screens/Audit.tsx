/** Every recorded change, who made it and when (admins only), paged with the API's cursors. */
import { useState } from 'react';
import { useApi } from '../api';
import { Pager, QueryState, formatTime, useCursor } from '../components';
import { AuditLogDocument } from '../generated/graphql';

export function AuditScreen() {
  const cursor = useCursor();
  const [entityType, setEntityType] = useState('');
  const [result] = useApi(AuditLogDocument, { first: 50, after: cursor.after, entityType: entityType || undefined });
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <div className="inline">
        <label htmlFor="audit-type">Entity type</label>
        <input id="audit-type" value={entityType} onChange={(e) => { setEntityType(e.target.value); cursor.reset(); }} placeholder="e.g. Connector" />
      </div>
      <QueryState result={result} what="audit entries" isEmpty={(d) => d.auditLog.nodes.length === 0} empty="No recorded change matches.">
        {(data) => (
          <>
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Entity</th>
                  <th scope="col">Changes</th>
                </tr>
              </thead>
              <tbody>
                {data.auditLog.nodes.map((a) => (
                  <tr key={a.id}>
                    <td>{formatTime(a.createdAt)}</td>
                    <td>{a.actorName}</td>
                    <td>{a.action}</td>
                    <td>
                      {a.entityType} <span className="muted">{a.entityId}</span>
                    </td>
                    <td>
                      <code className="changes">{JSON.stringify(a.changes)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager cursor={cursor} pageInfo={data.auditLog.pageInfo} totalCount={data.auditLog.totalCount} label="entries" />
          </>
        )}
      </QueryState>
    </section>
  );
}
