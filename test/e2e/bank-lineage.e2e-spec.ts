import { aBox, aThawedBooster, cryopreserve, positionsIn } from '../support/bank-fixtures';
import { aMaterialLot } from '../support/donor-fixtures';
import { aCast, bearer, Cast } from '../support/people';
import { aReleasedBatch } from '../support/release-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe("cell bank in other records: a batch's lineage and a lot's recall list", () => {
  let t: TestApp;
  let cast: Cast;

  beforeAll(async () => {
    t = await startTestApp();
    cast = await aCast(t.http);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the banked vials with their boosters and booster doses in the lineage and the recall list of a lot', async () => {
    const batch = await aReleasedBatch(t.http, cast);
    const { box } = await aBox(t.http, cast.admin);
    const lot = await aMaterialLot(t.http, cast.admin, { kind: 'CRYOPROTECTANT' });
    const frozen = await cryopreserve(t.http, cast.technician, batch.id, positionsIn(box, 2), {
      materialLotIds: [lot.id],
    });
    expect(frozen.status).toBe(201);
    const [first, second] = frozen.body.vials;
    const booster = await aThawedBooster(t.http, cast, { batch, box, vials: [first] });
    const dose = await t.http
      .post(`/api/v1/boosters/${booster.id}/doses`)
      .set(...bearer(cast.technician))
      .send({ formulatedAt: new Date().toISOString(), volumeMl: 2 })
      .expect(201);

    const lineage = await t.http
      .get(`/api/v1/batches/${batch.id}/lineage`)
      .set(...bearer(cast.doctor))
      .expect(200);
    expect(lineage.body.vials).toEqual([
      expect.objectContaining({
        id: first.id,
        label: first.label,
        status: 'THAWED',
        inTank: false,
        position: expect.objectContaining({ boxId: box.id, row: 1, col: 1 }),
        booster: expect.objectContaining({
          id: booster.id,
          status: 'FORMULATED',
          dose: { id: dose.body.id, label: `${batch.din}-B01`, status: 'FORMULATED' },
        }),
      }),
      expect.objectContaining({
        id: second.id,
        label: second.label,
        status: 'STORED',
        inTank: true,
        booster: null,
      }),
    ]);
    expect(lineage.body.doses.map((d: { label: string }) => d.label)).toContain(`${batch.din}-B01`);

    const usage = await t.http
      .get(`/api/v1/material-lots/${lot.id}/usage`)
      .set(...bearer(cast.qa))
      .expect(200);
    expect(usage.body.batches).toHaveLength(1);
    expect(usage.body.batches[0].vials.map((v: { label: string }) => v.label)).toEqual([
      first.label,
      second.label,
    ]);
    expect(usage.body.batches[0].events).toEqual([
      expect.objectContaining({ eventType: 'CRYOPRESERVATION' }),
    ]);
  });
});
