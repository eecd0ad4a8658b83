"""
Classification of handwritten digits with a scikit-learn pipeline
=================================================================
The 8 x 8 digits that ship with scikit-learn (1797 images, no download), classified by logistic
regression on their 2D scattering coefficients, as in Kymatio's sklearn example: the scattering
transform is the first step of a Pipeline. Written for Kymatio; only the import differs.
"""

###############################################################################
# Imports: the scattering transformer and scikit-learn
# ---------------------------------------------------
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from wst import Scattering2D          # was: from kymatio import Scattering2D

###############################################################################
# The data: 8 x 8 digits as rows of 64 pixels
# -------------------------------------------
digits = load_digits()
x = digits.images.reshape((digits.images.shape[0], -1)).astype(np.float32)
y = digits.target
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0,
                                                    stratify=y)

###############################################################################
# The pipeline: scattering (J = 1: the 8 x 8 images are small), scaling, logistic regression
# ------------------------------------------------------------------------------------------
scattering = Scattering2D(shape=(8, 8), J=1, frontend='sklearn')
classifier = LogisticRegression(max_iter=1000)
estimators = [('scatter', scattering), ('scaler', StandardScaler()), ('clf', classifier)]
pipeline = Pipeline(estimators)
pipeline.fit(x_train, y_train)

###############################################################################
# Accuracy on the held-out quarter
# --------------------------------
accuracy = pipeline.score(x_test, y_test)
print(f"scattering features per digit: {scattering.transform(x_test[:1]).shape[1]}")
print(f"test accuracy: {accuracy:.4f} on {len(y_test)} digits")
