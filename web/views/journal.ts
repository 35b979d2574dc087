import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from '../html.ts';
import { layout } from './layout.ts';

/**
 * The journal's exports for admins: the archive's (every name) and the public journal (persons screened,
 * offentleglova), for a date range. A plain GET form: the download is `/journal.csv` with the range in its address.
 */
export function journalPage(request: FastifyRequest, reply: FastifyReply): string {
  return layout(
    request,
    reply,
    'Journal',
    html`<h1>Journal</h1>
      <p>
        Journalen har en post for hvert dokument som har kommet inn og hvert brev som er sendt, i alle saker. Arkivet får
        den hel; den offentlige journalen skjermer navn på personer og e-postadresser (offentleglova).
      </p>
      <form method="get" action="/journal.csv" class="journal-export">
        <label>Fra og med dato <input type="date" name="fra" /></label>
        <label>Til og med dato <input type="date" name="til" /></label>
        <fieldset>
          <legend>Utgave</legend>
          <label><input type="radio" name="offentlig" value="0" checked /> Til arkivet (alle navn)</label>
          <label><input type="radio" name="offentlig" value="1" /> Offentlig journal (personer skjermet)</label>
        </fieldset>
        <button type="submit">Last ned journal (CSV)</button>
      </form>`,
  );
}
