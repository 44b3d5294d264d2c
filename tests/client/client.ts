// The generated types in use: a page of the query is typed end to end, so a typo in a field
// name or a wrong type fails `tsc`.
import { AfricanHealthDocument, type AfricanHealthQuery, type AfricanHealthQueryVariables } from './generated/graphql';
import { print } from 'graphql';

export async function africanHealth(url: string, variables: AfricanHealthQueryVariables): Promise<AfricanHealthQuery> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: print(AfricanHealthDocument), variables }),
  });
  const body = (await res.json()) as { data: AfricanHealthQuery };
  return body.data;
}

export function titles(page: AfricanHealthQuery): string[] {
  return page.entries.nodes.map((e) => `${e.number} ${e.title} (${e.organisation.stakeholderType}, ${e.startDate ?? 'undated'})`);
}
