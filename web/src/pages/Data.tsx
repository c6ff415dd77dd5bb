/** Data page: exploratory analysis of the ingested dataset. */
import { PageHeader } from '../components/Layout';
import { useCommon } from '../i18n';

export function Data() {
  const t = useCommon();
  return <PageHeader title={t('navData')} />;
}
